-- What the HTTP control plane needs: a name people give a job, and API tokens.
--
-- Why tokens store only a SHA-256 of the secret: the secret is 256 random bits, so a fast hash is as
-- good as a slow one against guessing, and lookups stay one index probe. A leaked table gives no usable
-- token. The prefix (the token's first characters, not secret) lets people tell tokens apart in listings.

ALTER TABLE jobs ADD COLUMN name text;

CREATE TABLE api_tokens (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL CHECK (name <> ''),
    prefix         text NOT NULL,
    secret_sha256  bytea NOT NULL UNIQUE,
    scopes         text[] NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'submit', 'admin']),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz,
    last_used_at   timestamptz,
    revoked_at     timestamptz
);
