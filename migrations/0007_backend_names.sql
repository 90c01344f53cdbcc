-- One vocabulary of compute backends (issue 16). Specs named the CPU backend 'blas' while job requirements and
-- workers named it 'cpu'; from now on all say 'blas' ('cpu' is still accepted on input and stored as 'blas').
-- Workers of an older binary keep registering 'cpu' and then claim only jobs without a backend requirement until
-- they are upgraded.

UPDATE jobs
   SET req_backend = 'blas',
       requirements = jsonb_set(requirements, '{backend}', '"blas"')
 WHERE req_backend = 'cpu';

UPDATE workers SET backend = 'blas' WHERE backend = 'cpu';
