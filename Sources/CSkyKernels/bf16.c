// bfloat16 weight kernels: each element widens to float32 by a 16-bit shift, in registers, so a bf16 weight is read
// at half the bytes of float32 and never copied whole. The summation order is fixed per code path (four 8-wide
// accumulators, then their lanes), so results repeat exactly on one CPU type.
#include "CSkyKernels.h"
#include <string.h>

static inline float widen1(uint16_t b) {
    uint32_t bits = (uint32_t)b << 16;
    float v;
    memcpy(&v, &bits, 4);
    return v;
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma"))) static inline __m256 widen8(const uint16_t *p) {
    __m256i bits = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(bits, 16));
}

__attribute__((target("avx2,fma"))) static float sum8(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    __m128 s = _mm_add_ps(lo, hi);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) static void gemv_avx2(const uint16_t *w, long c, long row0, long row1, const float *x,
                                                          float *y, float beta) {
    for (long j = row0; j < row1; j++) {
        const uint16_t *r = w + j * c;
        __m256 a0 = _mm256_setzero_ps(), a1 = _mm256_setzero_ps(), a2 = _mm256_setzero_ps(), a3 = _mm256_setzero_ps();
        long i = 0;
        for (; i + 32 <= c; i += 32) {
            a0 = _mm256_fmadd_ps(widen8(r + i), _mm256_loadu_ps(x + i), a0);
            a1 = _mm256_fmadd_ps(widen8(r + i + 8), _mm256_loadu_ps(x + i + 8), a1);
            a2 = _mm256_fmadd_ps(widen8(r + i + 16), _mm256_loadu_ps(x + i + 16), a2);
            a3 = _mm256_fmadd_ps(widen8(r + i + 24), _mm256_loadu_ps(x + i + 24), a3);
        }
        for (; i + 8 <= c; i += 8) a0 = _mm256_fmadd_ps(widen8(r + i), _mm256_loadu_ps(x + i), a0);
        float sum = sum8(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
        for (; i < c; i++) sum += widen1(r[i]) * x[i];
        y[j] = beta == 0 ? sum : sum + beta * y[j];
    }
}

__attribute__((target("avx2,fma"))) static void widen_avx2(const uint16_t *src, float *dst, long count) {
    long i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(dst + i, widen8(src + i));
    for (; i < count; i++) dst[i] = widen1(src[i]);
}

static int has_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}
#else
static int has_avx2(void) { return 0; }
#endif

void sky_bf16_gemv_portable(const uint16_t *w, long c, long row0, long row1, const float *x, float *y, float beta) {
    for (long j = row0; j < row1; j++) {
        const uint16_t *r = w + j * c;
        float acc[8] = {0};
        long i = 0;
        for (; i + 8 <= c; i += 8) {
            for (int k = 0; k < 8; k++) acc[k] += widen1(r[i + k]) * x[i + k];
        }
        float sum = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
        for (; i < c; i++) sum += widen1(r[i]) * x[i];
        y[j] = beta == 0 ? sum : sum + beta * y[j];
    }
}

void sky_bf16_gemv(const uint16_t *w, long columns, long row0, long row1, const float *x, float *y, float beta) {
#if defined(__x86_64__)
    if (has_avx2()) {
        gemv_avx2(w, columns, row0, row1, x, y, beta);
        return;
    }
#endif
    sky_bf16_gemv_portable(w, columns, row0, row1, x, y, beta);
}

void sky_bf16_widen(const uint16_t *src, float *dst, long count) {
#if defined(__x86_64__)
    if (has_avx2()) {
        widen_avx2(src, dst, count);
        return;
    }
#endif
    for (long i = 0; i < count; i++) dst[i] = widen1(src[i]);
}

int sky_kernels_use_avx2(void) { return has_avx2(); }
