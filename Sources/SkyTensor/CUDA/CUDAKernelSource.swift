/// The CUDA C++ of every kernel the CUDA backend launches, compiled at run time by NVRTC (no CUDA at build time).
///
/// Conventions: float32 everywhere for now; element counts are `long long`; one block per row for row-wise ops
/// (blockDim a power of two ≤ 1024, `blockDim.x` threads striding over the row); grid-stride loops for elementwise
/// ops, so any grid covers them. No kernel adds floats atomically (only sampling counts integers that way): sums
/// over rows run in a fixed order, so a result has the same bits on every run, as on the BLAS backend. Each kernel's semantics equal the BLAS backend op it serves; the
/// fake driver's CPU references (Tests/SkyCUDAFake) follow this file kernel by kernel.
enum CUDAKernelSource {
    /// The whole translation unit.
    static let source = #"""
#define SKY_NEG_INF __int_as_float(0xff800000)

struct SumOp {
    template <typename T> __device__ __forceinline__ T operator()(T a, T b) const { return a + b; }
};
struct MaxOp {
    __device__ __forceinline__ float operator()(float a, float b) const { return fmaxf(a, b); }
};
template <typename T, typename Op> __device__ __forceinline__ T warp_reduce(T v, Op op) {
    for (int o = 16; o > 0; o >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}
// A block-wide reduction for blockDim.x a multiple of 32; every thread gets the result. The leading barrier lets
// one kernel call it several times in a row over the same shared slots.
template <typename T, typename Op> __device__ T block_reduce(T v, Op op, T identity) {
    __shared__ T part[32];
    __shared__ T total;
    v = warp_reduce(v, op);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    __syncthreads();
    if (lane == 0) part[warp] = v;
    __syncthreads();
    if (warp == 0) {
        T s = warp_reduce(lane < warps ? part[lane] : identity, op);
        if (lane == 0) total = s;
    }
    __syncthreads();
    return total;
}
__device__ __forceinline__ float warp_sum(float v) { return warp_reduce(v, SumOp()); }
__device__ __forceinline__ float block_sum(float v) { return block_reduce(v, SumOp(), 0.0f); }
__device__ __forceinline__ double block_sum_d(double v) { return block_reduce(v, SumOp(), 0.0); }
__device__ __forceinline__ float block_max(float v) { return block_reduce(v, MaxOp(), SKY_NEG_INF); }
#define GRID_STRIDE(i, n) for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
                               i += (long long)gridDim.x * blockDim.x)

// float32 → bfloat16 bits, rounding to nearest even as PyTorch does (NaN stays a quiet NaN): the inputs of bf16
// products, and bf16 weights written from float32.
extern "C" __global__ void sky_f32_to_bf16(unsigned short* out, const float* in, long long n) {
    GRID_STRIDE(i, n) {
        unsigned int u = __float_as_uint(in[i]);
        if ((u & 0x7fffffffu) > 0x7f800000u) {
            out[i] = (unsigned short)((u >> 16) | 0x40u);
        } else {
            u += 0x7fffu + ((u >> 16) & 1u);
            out[i] = (unsigned short)(u >> 16);
        }
    }
}

// bfloat16 bits → float32, exactly.
extern "C" __global__ void sky_bf16_to_f32(float* out, const unsigned short* in, long long n) {
    GRID_STRIDE(i, n) out[i] = __uint_as_float(((unsigned int)in[i]) << 16);
}

// out = the inverted-dropout mask of DropoutMask (Swift): SplitMix64's finaliser over seed + i·φ, top 24 bits.
extern "C" __global__ void sky_dropout_mask(float* out, unsigned long long seed, float probability, long long n) {
    GRID_STRIDE(i, n) {
        unsigned long long x = seed + (unsigned long long)i * 0x9E3779B97F4A7C15ull;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
        x ^= x >> 31;
        out[i] = (float)(x >> 40) * 0x1p-24f < probability ? 0.0f : 1.0f / (1.0f - probability);
    }
}

extern "C" __global__ void sky_fill(float* out, float value, long long n) {
    GRID_STRIDE(i, n) out[i] = value;
}

extern "C" __global__ void sky_scale(float* out, float factor, long long n) {
    GRID_STRIDE(i, n) out[i] *= factor;
}

extern "C" __global__ void sky_add(float* out, const float* a, const float* b, long long n) {
    GRID_STRIDE(i, n) out[i] = a[i] + b[i];
}

extern "C" __global__ void sky_add_backward(float* da, float* db, const float* dout, long long n) {
    GRID_STRIDE(i, n) { float d = dout[i]; da[i] += d; db[i] += d; }
}

extern "C" __global__ void sky_multiply(float* out, const float* a, const float* b, long long n) {
    GRID_STRIDE(i, n) out[i] = a[i] * b[i];
}

extern "C" __global__ void sky_swiglu(float* out, const float* gate, const float* up, long long n) {
    GRID_STRIDE(i, n) {
        float x = gate[i];
        out[i] = x / (1.0f + expf(-x)) * up[i];
    }
}

// silu(x) = x·σ(x), silu′(x) = σ(x)·(1 + x·(1 − σ(x))).
extern "C" __global__ void sky_swiglu_backward(float* dgate, float* dup, const float* dout, const float* gate,
                                               const float* up, long long n) {
    GRID_STRIDE(i, n) {
        float x = gate[i], s = 1.0f / (1.0f + expf(-x)), d = dout[i];
        dgate[i] += d * up[i] * s * (1.0f + x * (1.0f - s));
        dup[i] += d * x * s;
    }
}

// out (rows, cols) = bias (cols) on every row: the start of a linear layer with bias (cuBLAS then adds with beta 1).
extern "C" __global__ void sky_broadcast_rows(float* out, const float* bias, long long rows, int cols) {
    GRID_STRIDE(i, rows * cols) out[i] = bias[i % cols];
}

// dbias (cols) += Σ rows of dout (rows, cols): one thread per column, rows in order.
extern "C" __global__ void sky_column_sum(float* dbias, const float* dout, int rows, int cols) {
    int c = blockIdx.x * blockDim.x + threadIdx.x;
    if (c >= cols) return;
    float s = 0.0f;
    for (int r = 0; r < rows; r++) s += dout[(long long)r * cols + c];
    dbias[c] += s;
}

// out (N, C) = rows of table (V, C) picked by ids (N).
extern "C" __global__ void sky_embedding(float* out, const int* ids, const float* table, int n, int c) {
    GRID_STRIDE(i, (long long)n * c) {
        long long row = i / c, col = i % c;
        out[i] = table[(long long)ids[row] * c + col];
    }
}

// out (N, C) = rows of a bfloat16 table (V, C), widened.
extern "C" __global__ void sky_embedding_bf16(float* out, const int* ids, const unsigned short* table, int n, int c) {
    GRID_STRIDE(i, (long long)n * c) {
        long long row = i / c, col = i % c;
        out[i] = __uint_as_float(((unsigned int)table[(long long)ids[row] * c + col]) << 16);
    }
}

// dtable (V, C) row ids[n] += dout (N, C) row n: one thread per column walks the ids in order, so repeated ids add
// in a fixed order with no atomics.
extern "C" __global__ void sky_embedding_backward(float* dtable, const float* dout, const int* ids, int n, int c) {
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= c) return;
    for (int r = 0; r < n; r++) dtable[(long long)ids[r] * c + col] += dout[(long long)r * c + col];
}

// One block per row: out = input · rsqrt(mean(input²) + eps) · weight, as Hugging Face computes it.
extern "C" __global__ void sky_rmsnorm(float* out, const float* input, const float* weight, float eps, int rows, int c) {
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* x = input + (long long)r * c;
    float* o = out + (long long)r * c;
    float s = 0.0f;
    for (int i = threadIdx.x; i < c; i += blockDim.x) s += x[i] * x[i];
    float inv = 1.0f / sqrtf(block_sum(s) / (float)c + eps);
    for (int i = threadIdx.x; i < c; i += blockDim.x) o[i] = weight[i] * (x[i] * inv);
}

// One block per row: dinput += r·(dn − n·mean(dn·n)) with r = rsqrt(mean(x²) + eps), n = x·r, dn = dout·weight;
// r goes to rstd (rows) for the weight's gradient.
extern "C" __global__ void sky_rmsnorm_backward(float* dinput, float* rstd, const float* dout, const float* input,
                                                const float* weight, float eps, int rows, int c) {
    int row = blockIdx.x;
    if (row >= rows) return;
    const float* x = input + (long long)row * c;
    const float* d = dout + (long long)row * c;
    float* di = dinput + (long long)row * c;
    float s = 0.0f;
    for (int i = threadIdx.x; i < c; i += blockDim.x) s += x[i] * x[i];
    float r = 1.0f / sqrtf(block_sum(s) / (float)c + eps);
    float dot = 0.0f;
    for (int i = threadIdx.x; i < c; i += blockDim.x) dot += d[i] * weight[i] * x[i] * r;
    float mean = block_sum(dot) / (float)c;
    for (int i = threadIdx.x; i < c; i += blockDim.x) di[i] += r * (d[i] * weight[i] - x[i] * r * mean);
    if (threadIdx.x == 0) rstd[row] = r;
}

// dweight (C) += Σ_rows dout·x·rstd: one thread per column, rows in order.
extern "C" __global__ void sky_rmsnorm_weight_backward(float* dweight, const float* rstd, const float* dout,
                                                       const float* input, int rows, int c) {
    int col = blockIdx.x * blockDim.x + threadIdx.x;
    if (col >= c) return;
    float s = 0.0f;
    for (int r = 0; r < rows; r++) {
        long long at = (long long)r * c + col;
        s += dout[at] * input[at] * rstd[r];
    }
    dweight[col] += s;
}

// Rotate-half RoPE, one thread per (row, head, i < HD/2) pair; each thread reads its pair before writing it, so out
// may be input. The backward adds the rotation's transpose applied to dout into dinput.
template <bool Backward>
__device__ __forceinline__ void rope_pairs(float* out, const float* input, const int* positions, const float* cosTable,
                                           const float* sinTable, int rows, int width, int headDim) {
    int half = headDim / 2, pairs = width / 2;
    GRID_STRIDE(idx, (long long)rows * pairs) {
        long long r = idx / pairs;
        int j = (int)(idx % pairs), head = j / half, i = j % half;
        long long base = r * width + (long long)head * headDim;
        long long table = (long long)positions[r] * half + i;
        float c = cosTable[table], s = sinTable[table];
        float x1 = input[base + i], x2 = input[base + i + half];
        if (Backward) {
            out[base + i] += x1 * c + x2 * s;
            out[base + i + half] += x2 * c - x1 * s;
        } else {
            out[base + i] = x1 * c - x2 * s;
            out[base + i + half] = x2 * c + x1 * s;
        }
    }
}

extern "C" __global__ void sky_rope(float* out, const float* input, const int* positions, const float* cosTable,
                                    const float* sinTable, int rows, int width, int headDim) {
    rope_pairs<false>(out, input, positions, cosTable, sinTable, rows, width, headDim);
}

extern "C" __global__ void sky_rope_backward(float* dinput, const float* dout, const int* positions,
                                             const float* cosTable, const float* sinTable, int rows, int width,
                                             int headDim) {
    rope_pairs<true>(dinput, dout, positions, cosTable, sinTable, rows, width, headDim);
}

// One block per row of (rows, width): softmax of the first `visible` entries (all when causal == 0, else
// min(width, max(0, row + offset + 1))), the rest 0.
extern "C" __global__ void sky_softmax(float* out, const float* input, int rows, int width, int causal, int offset) {
    int r = blockIdx.x;
    if (r >= rows) return;
    int visible = width;
    if (causal) visible = min(width, max(0, r + offset + 1));
    const float* x = input + (long long)r * width;
    float* o = out + (long long)r * width;
    float m = SKY_NEG_INF;
    for (int i = threadIdx.x; i < visible; i += blockDim.x) m = fmaxf(m, x[i]);
    m = block_max(m);
    float s = 0.0f;
    for (int i = threadIdx.x; i < visible; i += blockDim.x) s += expf(x[i] - m);
    float inv = 1.0f / block_sum(s);
    for (int i = threadIdx.x; i < width; i += blockDim.x) o[i] = i < visible ? expf(x[i] - m) * inv : 0.0f;
}

// Attention kernels give one warp to each (query t, head h): the lanes split the head dimension (up to 8 values each,
// so head dims up to 256, in registers), a dot product is a warp sum, and the softmax runs online over the visible
// keys (flash-style: running max and sum, no buffer of scores), so any context length fits. Query t sits at position
// keys − queries + t and sees keys 0...that position.
#define SKY_HEAD_SLOTS 8

// out = softmax(scale·q·kᵀ) v over the visible keys.
extern "C" __global__ void sky_attention(float* out, const float* q, const float* k, const float* v, int queries,
                                         int keys, int heads, int kvHeads, int headDim, float scale) {
    int lane = threadIdx.x & 31, t = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), h = blockIdx.y;
    if (t >= queries || h >= heads) return;
    int g = h / (heads / kvHeads), qWidth = heads * headDim, kvWidth = kvHeads * headDim;
    int visible = keys - queries + t + 1;
    const float* qt = q + (long long)t * qWidth + h * headDim;
    float qv[SKY_HEAD_SLOTS], acc[SKY_HEAD_SLOTS];
#pragma unroll
    for (int j = 0; j < SKY_HEAD_SLOTS; j++) {
        int e = lane + 32 * j;
        qv[j] = e < headDim ? qt[e] : 0.0f;
        acc[j] = 0.0f;
    }
    float m = SKY_NEG_INF, l = 0.0f;
    for (int s = 0; s < visible; s++) {
        const float* ks = k + (long long)s * kvWidth + g * headDim;
        const float* vs = v + (long long)s * kvWidth + g * headDim;
        float dot = 0.0f;
#pragma unroll
        for (int j = 0; j < SKY_HEAD_SLOTS; j++) {
            int e = lane + 32 * j;
            if (e < headDim) dot += qv[j] * ks[e];
        }
        float score = warp_sum(dot) * scale;
        float next = fmaxf(m, score), correction = expf(m - next), p = expf(score - next);
        l = l * correction + p;
#pragma unroll
        for (int j = 0; j < SKY_HEAD_SLOTS; j++) {
            int e = lane + 32 * j;
            if (e < headDim) acc[j] = acc[j] * correction + p * vs[e];
        }
        m = next;
    }
    float* ot = out + (long long)t * qWidth + h * headDim;
#pragma unroll
    for (int j = 0; j < SKY_HEAD_SLOTS; j++) {
        int e = lane + 32 * j;
        if (e < headDim) ot[e] = acc[j] / l;
    }
}

// The query side of attention's backward, one warp per (t, h), probabilities recomputed in three passes over the
// keys (the logsumexp, then Σ p·dp, then dq += scale·Σ p·(dp − Σ p·dp)·k with dp = dout·v); the logsumexp and
// Σ p·dp go to lse and delta (queries, heads) for the key/value side.
extern "C" __global__ void sky_attention_backward_query(float* dq, float* lse, float* delta, const float* dout,
                                                        const float* q, const float* k, const float* v, int queries,
                                                        int keys, int heads, int kvHeads, int headDim, float scale) {
    int lane = threadIdx.x & 31, t = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), h = blockIdx.y;
    if (t >= queries || h >= heads) return;
    int g = h / (heads / kvHeads), qWidth = heads * headDim, kvWidth = kvHeads * headDim;
    int visible = keys - queries + t + 1;
    const float* qt = q + (long long)t * qWidth + h * headDim;
    const float* dt = dout + (long long)t * qWidth + h * headDim;
    float qv[SKY_HEAD_SLOTS], dv[SKY_HEAD_SLOTS], acc[SKY_HEAD_SLOTS];
#pragma unroll
    for (int j = 0; j < SKY_HEAD_SLOTS; j++) {
        int e = lane + 32 * j;
        qv[j] = e < headDim ? qt[e] : 0.0f;
        dv[j] = e < headDim ? dt[e] : 0.0f;
        acc[j] = 0.0f;
    }
    float m = SKY_NEG_INF, l = 0.0f;
    for (int s = 0; s < visible; s++) {
        const float* ks = k + (long long)s * kvWidth + g * headDim;
        float dot = 0.0f;
#pragma unroll
        for (int j = 0; j < SKY_HEAD_SLOTS; j++) if (lane + 32 * j < headDim) dot += qv[j] * ks[lane + 32 * j];
        float score = warp_sum(dot) * scale, next = fmaxf(m, score);
        l = l * expf(m - next) + expf(score - next);
        m = next;
    }
    float logSum = m + logf(l), pd = 0.0f;
    for (int pass = 0; pass < 2; pass++) {
        for (int s = 0; s < visible; s++) {
            const float* ks = k + (long long)s * kvWidth + g * headDim;
            const float* vs = v + (long long)s * kvWidth + g * headDim;
            float dot = 0.0f, dp = 0.0f;
#pragma unroll
            for (int j = 0; j < SKY_HEAD_SLOTS; j++) {
                int e = lane + 32 * j;
                if (e < headDim) { dot += qv[j] * ks[e]; dp += dv[j] * vs[e]; }
            }
            float p = expf(warp_sum(dot) * scale - logSum);
            dp = warp_sum(dp);
            if (pass == 0) {
                pd += p * dp;
            } else {
                float ds = p * (dp - pd);
#pragma unroll
                for (int j = 0; j < SKY_HEAD_SLOTS; j++) if (lane + 32 * j < headDim) acc[j] += ds * ks[lane + 32 * j];
            }
        }
    }
    float* dqt = dq + (long long)t * qWidth + h * headDim;
#pragma unroll
    for (int j = 0; j < SKY_HEAD_SLOTS; j++) if (lane + 32 * j < headDim) dqt[lane + 32 * j] += scale * acc[j];
    if (lane == 0) {
        lse[t * heads + h] = logSum;
        delta[t * heads + h] = pd;
    }
}

// The key/value side, one warp per (key s, kv head g): for every head of the group and every query that sees s,
// p = exp(scale·q·k − lse), dv += p·dout and dk += scale·p·(dout·v − delta)·q, summed in a fixed order.
extern "C" __global__ void sky_attention_backward_kv(float* dk, float* dv, const float* lse, const float* delta,
                                                     const float* dout, const float* q, const float* k, const float* v,
                                                     int queries, int keys, int heads, int kvHeads, int headDim,
                                                     float scale) {
    int s = blockIdx.x, g = blockIdx.y, lane = threadIdx.x;
    if (s >= keys || g >= kvHeads) return;
    int group = heads / kvHeads, past = keys - queries;
    int qWidth = heads * headDim, kvWidth = kvHeads * headDim;
    const float* ks = k + (long long)s * kvWidth + g * headDim;
    const float* vs = v + (long long)s * kvWidth + g * headDim;
    float* dks = dk + (long long)s * kvWidth + g * headDim;
    float* dvs = dv + (long long)s * kvWidth + g * headDim;
    int first = max(0, s - past);
    for (int e0 = 0; e0 < headDim; e0 += 32) {
        int e = e0 + lane;
        float accK = 0.0f, accV = 0.0f;
        for (int j = 0; j < group; j++) {
            int h = g * group + j;
            for (int t = first; t < queries; t++) {
                const float* qt = q + (long long)t * qWidth + h * headDim;
                const float* dt = dout + (long long)t * qWidth + h * headDim;
                float dot = 0.0f, dpv = 0.0f;
                for (int f = lane; f < headDim; f += 32) { dot += qt[f] * ks[f]; dpv += dt[f] * vs[f]; }
                dot = warp_sum(dot);
                dpv = warp_sum(dpv);
                float p = expf(dot * scale - lse[t * heads + h]);
                if (e < headDim) {
                    accV += p * dt[e];
                    accK += p * (dpv - delta[t * heads + h]) * qt[e];
                }
            }
        }
        if (e < headDim) {
            dvs[e] += accV;
            dks[e] += scale * accK;
        }
    }
}

// A row's maximum and Σ exp(x − max), the sum in double, for the whole block.
__device__ __forceinline__ void row_max_sum(const float* x, int vocab, float& m, double& s) {
    m = SKY_NEG_INF;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) m = fmaxf(m, x[i]);
    m = block_max(m);
    s = 0.0;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) s += (double)expf(x[i] - m);
    s = block_sum_d(s);
}

// One block per row: losses = logsumexp(logits) − logits[target], 0 where target is −100.
extern "C" __global__ void sky_cross_entropy(float* losses, const float* logits, const int* targets, int rows,
                                             int vocab) {
    int r = blockIdx.x;
    if (r >= rows) return;
    int target = targets[r];
    if (target == -100) { if (threadIdx.x == 0) losses[r] = 0.0f; return; }
    const float* x = logits + (long long)r * vocab;
    float m;
    double s;
    row_max_sum(x, vocab, m, s);
    if (threadIdx.x == 0) losses[r] = (float)log(s) + m - x[target];
}

// dlogits += dlosses[r]·(softmax(logits[r]) − onehot(target)); rows with target −100 get nothing.
extern "C" __global__ void sky_cross_entropy_backward(float* dlogits, const float* dlosses, const float* logits,
                                                      const int* targets, int rows, int vocab) {
    int r = blockIdx.x;
    if (r >= rows) return;
    int target = targets[r];
    if (target == -100) return;
    const float* x = logits + (long long)r * vocab;
    float* dx = dlogits + (long long)r * vocab;
    float m;
    double s;
    row_max_sum(x, vocab, m, s);
    float g = dlosses[r];
    float factor = g * (float)(1.0 / s);
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) dx[i] += factor * expf(x[i] - m);
    __syncthreads();
    if (threadIdx.x == 0) dx[target] -= g;
}

// One block per row: the index of the row's largest value, the smallest index on ties (torch.argmax).
extern "C" __global__ void sky_argmax(int* out, const float* logits, int rows, int vocab) {
    __shared__ float bestValue[32];
    __shared__ int bestIndex[32];
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* x = logits + (long long)r * vocab;
    float v = SKY_NEG_INF;
    int index = vocab;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
        if (x[i] > v || index == vocab) { v = x[i]; index = i; }
    }
    for (int o = 16; o > 0; o >>= 1) {
        float ov = __shfl_xor_sync(0xffffffffu, v, o);
        int oi = __shfl_xor_sync(0xffffffffu, index, o);
        if (ov > v || (ov == v && oi < index)) { v = ov; index = oi; }
    }
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    if (lane == 0) { bestValue[warp] = v; bestIndex[warp] = index; }
    __syncthreads();
    if (warp == 0) {
        v = lane < warps ? bestValue[lane] : SKY_NEG_INF;
        index = lane < warps ? bestIndex[lane] : vocab;
        for (int o = 16; o > 0; o >>= 1) {
            float ov = __shfl_xor_sync(0xffffffffu, v, o);
            int oi = __shfl_xor_sync(0xffffffffu, index, o);
            if (ov > v || (ov == v && oi < index)) { v = ov; index = oi; }
        }
        if (lane == 0) out[r] = index;
    }
}

// A float's bits mapped so that unsigned order is the floats' order (for the radix select of top-k).
__device__ __forceinline__ unsigned int order_key(float s) {
    unsigned int u = __float_as_uint(s);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}
__device__ __forceinline__ float key_value(unsigned int k) {
    return __uint_as_float((k & 0x80000000u) ? (k & 0x7fffffffu) : ~k);
}

// One block per row: a token drawn from softmax(logits / temperature) after top-k (ties with the k-th score survive)
// and top-p (a token stays while the mass of the tokens above it is below p), at the point draws[r] of the kept mass
// in vocabulary order, as transformers' warpers and Sampler.pick do. probs (rows, vocab) is scratch.
extern "C" __global__ void sky_sample(int* out, float* probs, const float* logits, const double* draws, int rows, int vocab,
                                      float temperature, int topK, float topP) {
    __shared__ int histogram[256];
    __shared__ unsigned int chosenBin;
    __shared__ int remainingK;
    __shared__ double chunkSums[1024];
    __shared__ int found;
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* x = logits + (long long)r * vocab;
    float* p = probs + (long long)r * vocab;
    float m = SKY_NEG_INF;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) m = fmaxf(m, x[i] / temperature);
    m = block_max(m);
    // Top-k: the k-th largest score by an 8-bit radix select over order keys, most significant byte first.
    float tau = SKY_NEG_INF;
    if (topK > 0 && topK < vocab) {
        unsigned int prefix = 0, mask = 0;
        int k = topK;
        for (int shift = 24; shift >= 0; shift -= 8) {
            for (int b = threadIdx.x; b < 256; b += blockDim.x) histogram[b] = 0;
            __syncthreads();
            for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
                unsigned int key = order_key(x[i] / temperature);
                if ((key & mask) == prefix) atomicAdd(&histogram[(key >> shift) & 255u], 1);
            }
            __syncthreads();
            if (threadIdx.x == 0) {
                int above = 0;
                for (int b = 255; b >= 0; b--) {
                    if (above + histogram[b] >= k) { chosenBin = (unsigned int)b; remainingK = k - above; break; }
                    above += histogram[b];
                }
            }
            __syncthreads();
            prefix |= chosenBin << shift;
            mask |= 255u << shift;
            k = remainingK;
            __syncthreads();
        }
        tau = key_value(prefix);
    }
    double total = 0.0;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
        float s = x[i] / temperature;
        float e = s >= tau ? expf(s - m) : 0.0f;
        p[i] = e;
        total += e;
    }
    total = block_sum_d(total);
    // Top-p: bisect for the weight θ where the mass strictly above it crosses p of the total; keep weights above it.
    if (topP < 1.0f) {
        float lo = 0.0f, hi = 1.0f;
        for (int iteration = 0; iteration < 32; iteration++) {
            float mid = 0.5f * (lo + hi);
            double above = 0.0;
            for (int i = threadIdx.x; i < vocab; i += blockDim.x) above += p[i] > mid ? p[i] : 0.0f;
            above = block_sum_d(above);
            if (above >= (double)topP * total) lo = mid; else hi = mid;
        }
        double kept = 0.0;
        for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
            if (p[i] <= lo) p[i] = 0.0f;
            kept += p[i];
        }
        total = block_sum_d(kept);
    }
    // The draw: each thread owns a contiguous chunk; a scan of the chunk sums finds the chunk the point falls in.
    int chunk = (vocab + blockDim.x - 1) / blockDim.x;
    int start = threadIdx.x * chunk, end = min(vocab, start + chunk);
    double own = 0.0;
    int last = -1;
    for (int i = start; i < end; i++) if (p[i] > 0.0f) { own += p[i]; last = i; }
    chunkSums[threadIdx.x] = own;
    if (threadIdx.x == 0) found = -1;
    __syncthreads();
    double before = 0.0;
    for (int t = 0; t < (int)threadIdx.x; t++) before += chunkSums[t];
    double target = draws[r] * total;
    if (own > 0.0 && target >= before && target < before + own) {
        double remaining = target - before;
        int pick = last;
        for (int i = start; i < end; i++) {
            if (p[i] > 0.0f) {
                remaining -= p[i];
                if (remaining < 0.0) { pick = i; break; }
            }
        }
        found = pick;
    }
    __syncthreads();
    // Rounding can leave the point past the last kept token: that token, as Sampler.pick does.
    int lastKept = -1;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) if (p[i] > 0.0f) lastKept = max(lastKept, i);
    lastKept = (int)block_max((float)lastKept);
    if (threadIdx.x == 0) out[r] = found >= 0 ? found : max(lastKept, 0);
}

// partials[block] = Σ x² over the block's grid-stride share, in double; the host adds the partials in order.
extern "C" __global__ void sky_sum_of_squares(double* partials, const float* x, long long n) {
    double s = 0.0;
    GRID_STRIDE(i, n) { double value = x[i]; s += value * value; }
    s = block_sum_d(s);
    if (threadIdx.x == 0) partials[blockIdx.x] = s;
}

// One AdamW step in torch.optim.AdamW's order of operations (single-tensor path); the scalars come from the host.
extern "C" __global__ void sky_adamw(float* params, float* m, float* v, const float* grads, long long n, float decay,
                                     float beta1, float beta2, float eps, float stepSize, float correction2Root) {
    GRID_STRIDE(i, n) {
        float g = grads[i];
        params[i] *= decay;
        m[i] += (g - m[i]) * (1.0f - beta1);
        v[i] = v[i] * beta2 + (1.0f - beta2) * g * g;
        float denom = sqrtf(v[i]) / correction2Root + eps;
        params[i] -= stepSize * m[i] / denom;
    }
}
"""#
}
