// Shape letters used in comments across SkyTensor, SkyModel and SkyTrain, as in llm.c:
//
//   B   sequences in a batch
//   T   tokens processed now (per sequence)
//   N   rows of a ragged batch: the sum of T over its sequences
//   S   positions held in the KV cache (the keys a query may see)
//   C   model width (hidden_size)
//   F   MLP width (intermediate_size)
//   V   vocabulary size
//   NH  query heads; NKV key/value heads (grouped-query attention when NKV < NH)
//   HD  head dimension
//   P   positions covered by a rotary table
//   OC  output features of a linear layer; IN, OUT a projection's input and output features
//   r   LoRA rank
