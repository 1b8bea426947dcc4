#include "PetalKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PETAL_X86 1
#endif

// MARK: - Portable versions (the compiler vectorises them for the baseline target)

#define W PETAL_PANEL_WIDTH

static void dots3_portable(const double *q0, const double *q1, const double *q2,
                           const double *panel, ptrdiff_t m, ptrdiff_t blocks, double *dots, ptrdiff_t stride) {
    for (ptrdiff_t t = 0; t < blocks; t++) {
        double s[3][W] = {{0}};
        const double *v = panel + t * m * W;
        for (ptrdiff_t j = 0; j < m; j++, v += W) {
            const double a[3] = {q0[j], q1[j], q2[j]};
            for (int g = 0; g < 3; g++)
                for (int l = 0; l < W; l++) s[g][l] += a[g] * v[l];
        }
        for (int g = 0; g < 3; g++)
            for (int l = 0; l < W; l++) dots[g * stride + t * W + l] = s[g][l];
    }
}

static ptrdiff_t next_portable(const double *dots, const double *norms, double nq, double slack, double worst,
                               ptrdiff_t from, ptrdiff_t count) {
    const double keep = 1 - slack;
    for (ptrdiff_t b = from; b < count; b++)
        if (!((norms[b] + nq) * keep - 2 * dots[b] > worst)) return b;
    return count;
}

// MARK: - AVX2 + FMA

#ifdef PETAL_X86
// 3 queries × 12 rows: nine accumulators (independent sums to cover the FMA latency on two units), three panel
// loads and three broadcasts per feature; thirteen registers, so nothing spills (4 × 12 needs seventeen and
// measured half as fast; 4 × 8 about 15 % slower than this).
__attribute__((target("avx2,fma")))
static void dots3_avx2(const double *q0, const double *q1, const double *q2,
                       const double *panel, ptrdiff_t m, ptrdiff_t blocks, double *dots, ptrdiff_t stride) {
    for (ptrdiff_t t = 0; t < blocks; t++) {
        __m256d s00 = _mm256_setzero_pd(), s01 = _mm256_setzero_pd(), s02 = _mm256_setzero_pd();
        __m256d s10 = _mm256_setzero_pd(), s11 = _mm256_setzero_pd(), s12 = _mm256_setzero_pd();
        __m256d s20 = _mm256_setzero_pd(), s21 = _mm256_setzero_pd(), s22 = _mm256_setzero_pd();
        const double *v = panel + t * m * W;
        for (ptrdiff_t j = 0; j < m; j++, v += W) {
            const __m256d v0 = _mm256_loadu_pd(v), v1 = _mm256_loadu_pd(v + 4), v2 = _mm256_loadu_pd(v + 8);
            __m256d a = _mm256_broadcast_sd(q0 + j);
            s00 = _mm256_fmadd_pd(a, v0, s00); s01 = _mm256_fmadd_pd(a, v1, s01); s02 = _mm256_fmadd_pd(a, v2, s02);
            a = _mm256_broadcast_sd(q1 + j);
            s10 = _mm256_fmadd_pd(a, v0, s10); s11 = _mm256_fmadd_pd(a, v1, s11); s12 = _mm256_fmadd_pd(a, v2, s12);
            a = _mm256_broadcast_sd(q2 + j);
            s20 = _mm256_fmadd_pd(a, v0, s20); s21 = _mm256_fmadd_pd(a, v1, s21); s22 = _mm256_fmadd_pd(a, v2, s22);
        }
        double *o = dots + t * W;
        _mm256_storeu_pd(o, s00); _mm256_storeu_pd(o + 4, s01); _mm256_storeu_pd(o + 8, s02);
        o += stride;
        _mm256_storeu_pd(o, s10); _mm256_storeu_pd(o + 4, s11); _mm256_storeu_pd(o + 8, s12);
        o += stride;
        _mm256_storeu_pd(o, s20); _mm256_storeu_pd(o + 4, s21); _mm256_storeu_pd(o + 8, s22);
    }
}

__attribute__((target("avx2,fma")))
static ptrdiff_t next_avx2(const double *dots, const double *norms, double nq, double slack, double worst,
                           ptrdiff_t from, ptrdiff_t count) {
    const double keep = 1 - slack;
    const __m256d vq = _mm256_set1_pd(nq), vk = _mm256_set1_pd(keep), vw = _mm256_set1_pd(worst);
    const __m256d two = _mm256_set1_pd(2);
    ptrdiff_t b = from;
    for (; b + 4 <= count; b += 4) {
        // The same operations as the portable test, in the same order (a multiply, then a fused multiply-subtract
        // would round differently — harmless for a filter, but keep both versions' answers alike).
        const __m256d s = _mm256_mul_pd(_mm256_add_pd(_mm256_loadu_pd(norms + b), vq), vk);
        const __m256d d = _mm256_sub_pd(s, _mm256_mul_pd(two, _mm256_loadu_pd(dots + b)));
        const int mask = _mm256_movemask_pd(_mm256_cmp_pd(d, vw, _CMP_NGT_UQ));
        if (mask) return b + __builtin_ctz((unsigned)mask);
    }
    return next_portable(dots, norms, nq, slack, worst, b, count);
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

void petal_dots3(const double *q0, const double *q1, const double *q2,
                 const double *panel, ptrdiff_t m, ptrdiff_t blocks, double *dots, ptrdiff_t stride) {
#ifdef PETAL_X86
    if (wide()) { dots3_avx2(q0, q1, q2, panel, m, blocks, dots, stride); return; }
#endif
    dots3_portable(q0, q1, q2, panel, m, blocks, dots, stride);
}

ptrdiff_t petal_next_candidate(const double *dots, const double *norms, double nq, double slack, double worst,
                               ptrdiff_t from, ptrdiff_t count) {
#ifdef PETAL_X86
    if (wide()) return next_avx2(dots, norms, nq, slack, worst, from, count);
#endif
    return next_portable(dots, norms, nq, slack, worst, from, count);
}
