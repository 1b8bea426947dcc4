#include "PetalKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PETAL_X86 1
#endif

// MARK: - Portable versions (the compiler vectorises them for the baseline target)

static void dots4_portable(const double *q0, const double *q1, const double *q2, const double *q3,
                           const double *panel, ptrdiff_t stride, ptrdiff_t columns, ptrdiff_t m, double *dots) {
    for (ptrdiff_t b = 0; b < columns; b += 4) {
        double s[4][4] = {{0}};
        for (ptrdiff_t j = 0; j < m; j++) {
            const double *v = panel + j * stride + b;
            const double a[4] = {q0[j], q1[j], q2[j], q3[j]};
            for (int g = 0; g < 4; g++)
                for (int l = 0; l < 4; l++) s[g][l] += a[g] * v[l];
        }
        for (int g = 0; g < 4; g++)
            for (int l = 0; l < 4; l++) dots[g * stride + b + l] = s[g][l];
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
__attribute__((target("avx2,fma")))
static void dots4_avx2(const double *q0, const double *q1, const double *q2, const double *q3,
                       const double *panel, ptrdiff_t stride, ptrdiff_t columns, ptrdiff_t m, double *dots) {
    ptrdiff_t b = 0;
    // 4 queries × 8 panel rows: eight accumulators, two panel loads and four broadcasts per feature.
    for (; b + 8 <= columns; b += 8) {
        __m256d s00 = _mm256_setzero_pd(), s01 = _mm256_setzero_pd(), s10 = _mm256_setzero_pd(), s11 = _mm256_setzero_pd();
        __m256d s20 = _mm256_setzero_pd(), s21 = _mm256_setzero_pd(), s30 = _mm256_setzero_pd(), s31 = _mm256_setzero_pd();
        const double *v = panel + b;
        for (ptrdiff_t j = 0; j < m; j++, v += stride) {
            const __m256d v0 = _mm256_loadu_pd(v), v1 = _mm256_loadu_pd(v + 4);
            __m256d a = _mm256_broadcast_sd(q0 + j);
            s00 = _mm256_fmadd_pd(a, v0, s00); s01 = _mm256_fmadd_pd(a, v1, s01);
            a = _mm256_broadcast_sd(q1 + j);
            s10 = _mm256_fmadd_pd(a, v0, s10); s11 = _mm256_fmadd_pd(a, v1, s11);
            a = _mm256_broadcast_sd(q2 + j);
            s20 = _mm256_fmadd_pd(a, v0, s20); s21 = _mm256_fmadd_pd(a, v1, s21);
            a = _mm256_broadcast_sd(q3 + j);
            s30 = _mm256_fmadd_pd(a, v0, s30); s31 = _mm256_fmadd_pd(a, v1, s31);
        }
        _mm256_storeu_pd(dots + b, s00); _mm256_storeu_pd(dots + b + 4, s01);
        _mm256_storeu_pd(dots + stride + b, s10); _mm256_storeu_pd(dots + stride + b + 4, s11);
        _mm256_storeu_pd(dots + 2 * stride + b, s20); _mm256_storeu_pd(dots + 2 * stride + b + 4, s21);
        _mm256_storeu_pd(dots + 3 * stride + b, s30); _mm256_storeu_pd(dots + 3 * stride + b + 4, s31);
    }
    for (; b < columns; b += 4) {
        __m256d s0 = _mm256_setzero_pd(), s1 = _mm256_setzero_pd(), s2 = _mm256_setzero_pd(), s3 = _mm256_setzero_pd();
        const double *v = panel + b;
        for (ptrdiff_t j = 0; j < m; j++, v += stride) {
            const __m256d v0 = _mm256_loadu_pd(v);
            s0 = _mm256_fmadd_pd(_mm256_broadcast_sd(q0 + j), v0, s0);
            s1 = _mm256_fmadd_pd(_mm256_broadcast_sd(q1 + j), v0, s1);
            s2 = _mm256_fmadd_pd(_mm256_broadcast_sd(q2 + j), v0, s2);
            s3 = _mm256_fmadd_pd(_mm256_broadcast_sd(q3 + j), v0, s3);
        }
        _mm256_storeu_pd(dots + b, s0);
        _mm256_storeu_pd(dots + stride + b, s1);
        _mm256_storeu_pd(dots + 2 * stride + b, s2);
        _mm256_storeu_pd(dots + 3 * stride + b, s3);
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

void petal_dots4(const double *q0, const double *q1, const double *q2, const double *q3,
                 const double *panel, ptrdiff_t stride, ptrdiff_t columns, ptrdiff_t m, double *dots) {
#ifdef PETAL_X86
    if (wide()) { dots4_avx2(q0, q1, q2, q3, panel, stride, columns, m, dots); return; }
#endif
    dots4_portable(q0, q1, q2, q3, panel, stride, columns, m, dots);
}

ptrdiff_t petal_next_candidate(const double *dots, const double *norms, double nq, double slack, double worst,
                               ptrdiff_t from, ptrdiff_t count) {
#ifdef PETAL_X86
    if (wide()) return next_avx2(dots, norms, nq, slack, worst, from, count);
#endif
    return next_portable(dots, norms, nq, slack, worst, from, count);
}
