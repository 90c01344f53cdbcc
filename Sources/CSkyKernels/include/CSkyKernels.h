#ifndef SKY_KERNELS_H
#define SKY_KERNELS_H
// Small CPU kernels Swift cannot vectorise for the running CPU: Swift code is compiled for baseline x86-64 (SSE2),
// while these pick AVX2 + FMA at run time where the CPU has them (every x86 CPU Sky targets), else a portable loop.
#include <stdint.h>

/// y[j] = sum_i w[j, i] * x[i] + beta * y[j] for rows j in [row0, row1) of the bfloat16 matrix w (., columns).
void sky_bf16_gemv(const uint16_t *w, long columns, long row0, long row1, const float *x, float *y, float beta);

/// dst[0..count) = src widened from bfloat16 to float32 (exact).
void sky_bf16_widen(const uint16_t *src, float *dst, long count);

/// The portable path of sky_bf16_gemv, whatever the CPU (tests compare it with the AVX2 path).
void sky_bf16_gemv_portable(const uint16_t *w, long columns, long row0, long row1, const float *x, float *y, float beta);

/// 1 when the AVX2 + FMA paths run on this CPU, else 0 (for benchmark reports).
int sky_kernels_use_avx2(void);

#endif
