#include "PetalKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PETAL_X86 1
#endif

// MARK: - Portable versions (the compiler vectorises them for the baseline target)

#define W PETAL_PANEL_WIDTH

static void dots3_portable(const float *queries, ptrdiff_t triples, ptrdiff_t m, const float *block, float *dots,
                           ptrdiff_t stride) {
    for (ptrdiff_t t = 0; t < triples; t++) {
        float s[3][W] = {{0}};
        const float *q = queries + 3 * t * m, *v = block;
        for (ptrdiff_t j = 0; j < m; j++, v += W) {
            const float a[3] = {q[j], q[m + j], q[2 * m + j]};
            for (int g = 0; g < 3; g++)
                for (int l = 0; l < W; l++) s[g][l] += a[g] * v[l];
        }
        for (int g = 0; g < 3; g++)
            for (int l = 0; l < W; l++) dots[(3 * t + g) * stride + l] = s[g][l];
    }
}

static ptrdiff_t next_portable(const float *dots, const double *scales, const double *norms, double qscale, double nq,
                               double slack, double worst, ptrdiff_t from, ptrdiff_t count) {
    const double keep = 1 - slack;
    for (ptrdiff_t b = from; b < count; b++)
        if (!((norms[b] + nq) * keep - (double)dots[b] * scales[b] * qscale > worst)) return b;
    return count;
}

// MARK: - AVX2 + FMA

#ifdef PETAL_X86
// 3 queries × 24 rows: nine accumulators of eight floats (independent sums to cover the FMA latency on two units),
// three block loads and three broadcasts per feature; thirteen registers, so nothing spills (with doubles, 4 × 12
// needed seventeen and measured half as fast, 4 × 8 about 15 % slower than 3 × 12). The block (24 rows, m floats)
// stays in L1 while the query triples stream past it: a feature's three 32-byte block loads come from L1, and only
// the queries' 12 bytes from further out.
__attribute__((target("avx2,fma")))
static void dots3_avx2(const float *queries, ptrdiff_t triples, ptrdiff_t m, const float *block, float *dots,
                       ptrdiff_t stride) {
    for (ptrdiff_t t = 0; t < triples; t++) {
        __m256 s00 = _mm256_setzero_ps(), s01 = _mm256_setzero_ps(), s02 = _mm256_setzero_ps();
        __m256 s10 = _mm256_setzero_ps(), s11 = _mm256_setzero_ps(), s12 = _mm256_setzero_ps();
        __m256 s20 = _mm256_setzero_ps(), s21 = _mm256_setzero_ps(), s22 = _mm256_setzero_ps();
        const float *q0 = queries + 3 * t * m, *q1 = q0 + m, *q2 = q1 + m, *v = block;
        for (ptrdiff_t j = 0; j < m; j++, v += W) {
            const __m256 v0 = _mm256_loadu_ps(v), v1 = _mm256_loadu_ps(v + 8), v2 = _mm256_loadu_ps(v + 16);
            __m256 a = _mm256_broadcast_ss(q0 + j);
            s00 = _mm256_fmadd_ps(a, v0, s00); s01 = _mm256_fmadd_ps(a, v1, s01); s02 = _mm256_fmadd_ps(a, v2, s02);
            a = _mm256_broadcast_ss(q1 + j);
            s10 = _mm256_fmadd_ps(a, v0, s10); s11 = _mm256_fmadd_ps(a, v1, s11); s12 = _mm256_fmadd_ps(a, v2, s12);
            a = _mm256_broadcast_ss(q2 + j);
            s20 = _mm256_fmadd_ps(a, v0, s20); s21 = _mm256_fmadd_ps(a, v1, s21); s22 = _mm256_fmadd_ps(a, v2, s22);
        }
        float *o = dots + 3 * t * stride;
        _mm256_storeu_ps(o, s00); _mm256_storeu_ps(o + 8, s01); _mm256_storeu_ps(o + 16, s02);
        o += stride;
        _mm256_storeu_ps(o, s10); _mm256_storeu_ps(o + 8, s11); _mm256_storeu_ps(o + 16, s12);
        o += stride;
        _mm256_storeu_ps(o, s20); _mm256_storeu_ps(o + 8, s21); _mm256_storeu_ps(o + 16, s22);
    }
}

__attribute__((target("avx2,fma")))
static ptrdiff_t next_avx2(const float *dots, const double *scales, const double *norms, double qscale, double nq,
                           double slack, double worst, ptrdiff_t from, ptrdiff_t count) {
    const double keep = 1 - slack;
    const __m256d vq = _mm256_set1_pd(nq), vk = _mm256_set1_pd(keep), vw = _mm256_set1_pd(worst);
    const __m256d vs = _mm256_set1_pd(qscale);
    ptrdiff_t b = from;
    for (; b + 4 <= count; b += 4) {
        // The same operations as the portable test, in the same order (a multiply, then a fused multiply-subtract
        // would round differently — harmless for a filter, but keep both versions' answers alike).
        const __m256d s = _mm256_mul_pd(_mm256_add_pd(_mm256_loadu_pd(norms + b), vq), vk);
        const __m256d p = _mm256_mul_pd(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(dots + b)), _mm256_loadu_pd(scales + b)), vs);
        const int mask = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_sub_pd(s, p), vw, _CMP_NGT_UQ));
        if (mask) return b + __builtin_ctz((unsigned)mask);
    }
    return next_portable(dots, scales, norms, qscale, nq, slack, worst, b, count);
}
#endif

// MARK: - Dispatch

/// -1 until the CPU was asked; then 1 (AVX2 + FMA) or 0. `petal_kernels_use_wide(0)` pins it to 0.
static int known = -1;

static int wide(void) {
#ifdef PETAL_X86
    int w = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (w < 0) {
        __builtin_cpu_init();
        w = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&known, w, __ATOMIC_RELAXED);
    }
    return w;
#else
    return 0;
#endif
}

void petal_kernels_use_wide(int on) {
    __atomic_store_n(&known, on ? -1 : 0, __ATOMIC_RELAXED);
}

int petal_kernels_wide(void) { return wide(); }

void petal_dots3f(const float *queries, ptrdiff_t triples, ptrdiff_t m, const float *block, float *dots,
                  ptrdiff_t stride) {
#ifdef PETAL_X86
    if (wide()) { dots3_avx2(queries, triples, m, block, dots, stride); return; }
#endif
    dots3_portable(queries, triples, m, block, dots, stride);
}

ptrdiff_t petal_next_candidate(const float *dots, const double *scales, const double *norms, double qscale, double nq,
                               double slack, double worst, ptrdiff_t from, ptrdiff_t count) {
#ifdef PETAL_X86
    if (wide()) return next_avx2(dots, scales, norms, qscale, nq, slack, worst, from, count);
#endif
    return next_portable(dots, scales, norms, qscale, nq, slack, worst, from, count);
}
