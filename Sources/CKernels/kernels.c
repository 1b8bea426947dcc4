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


// Squared euclidean distance in one fixed order, the same in both versions: four lanes over the features (lane l
// sums the features j ≡ l mod 4, in order), the lanes added as (l0 + l1) + (l2 + l3), then the last d mod 4
// features one by one; every square is a multiply and then an add, never a fused multiply-add (the pragma keeps the
// compiler from fusing them in this and every later function; the kNN kernels above ask for theirs explicitly).
#pragma clang fp contract(off)
static inline double squared_distance_portable(const double *a, const double *b, ptrdiff_t d) {
    double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
    ptrdiff_t j = 0;
    for (; j + 4 <= d; j += 4) {
        const double t0 = a[j] - b[j], t1 = a[j + 1] - b[j + 1], t2 = a[j + 2] - b[j + 2], t3 = a[j + 3] - b[j + 3];
        l0 += t0 * t0; l1 += t1 * t1; l2 += t2 * t2; l3 += t3 * t3;
    }
    double s = (l0 + l1) + (l2 + l3);
    for (; j < d; j++) { const double t = a[j] - b[j]; s += t * t; }
    return s;
}

static void nearest_centres_portable(const double *x, ptrdiff_t n, ptrdiff_t d, const double *centres, ptrdiff_t k,
                                     ptrdiff_t *labels, double *distances, double *sums, ptrdiff_t *counts) {
    for (ptrdiff_t r = 0; r < n; r++) {
        const double *row = x + r * d;
        double best = __builtin_inf();
        ptrdiff_t arg = 0;
        for (ptrdiff_t c = 0; c < k; c++) {
            const double s = squared_distance_portable(row, centres + c * d, d);
            if (s < best) { best = s; arg = c; }
        }
        if (labels) { labels[r] = arg; distances[r] = best; }
        if (sums) {
            counts[arg] += 1;
            double *sum = sums + arg * d;
            for (ptrdiff_t j = 0; j < d; j++) sum[j] += row[j];
        }
    }
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

// The portable distance's order with four-wide registers (lane l of the accumulator is the portable l_l).
__attribute__((target("avx2")))
static inline double squared_distance_avx2(const double *a, const double *b, ptrdiff_t d) {
    __m256d acc = _mm256_setzero_pd();
    ptrdiff_t j = 0;
    for (; j + 4 <= d; j += 4) {
        const __m256d t = _mm256_sub_pd(_mm256_loadu_pd(a + j), _mm256_loadu_pd(b + j));
        acc = _mm256_add_pd(acc, _mm256_mul_pd(t, t));
    }
    double l[4];
    _mm256_storeu_pd(l, acc);
    double s = (l[0] + l[1]) + (l[2] + l[3]);
    for (; j < d; j++) { const double t = a[j] - b[j]; s += t * t; }
    return s;
}

__attribute__((target("avx2")))
static void nearest_centres_avx2(const double *x, ptrdiff_t n, ptrdiff_t d, const double *centres, ptrdiff_t k,
                                 ptrdiff_t *labels, double *distances, double *sums, ptrdiff_t *counts) {
    for (ptrdiff_t r = 0; r < n; r++) {
        const double *row = x + r * d;
        double best = __builtin_inf();
        ptrdiff_t arg = 0;
        for (ptrdiff_t c = 0; c < k; c++) {
            const double s = squared_distance_avx2(row, centres + c * d, d);
            if (s < best) { best = s; arg = c; }
        }
        if (labels) { labels[r] = arg; distances[r] = best; }
        if (sums) {
            counts[arg] += 1;
            double *sum = sums + arg * d;
            ptrdiff_t j = 0;
            for (; j + 4 <= d; j += 4) _mm256_storeu_pd(sum + j, _mm256_add_pd(_mm256_loadu_pd(sum + j), _mm256_loadu_pd(row + j)));
            for (; j < d; j++) sum[j] += row[j];
        }
    }
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

void petal_nearest_centres(const double *x, ptrdiff_t n, ptrdiff_t d, const double *centres, ptrdiff_t k,
                           ptrdiff_t *labels, double *distances, double *sums, ptrdiff_t *counts) {
#ifdef PETAL_X86
    if (wide()) { nearest_centres_avx2(x, n, d, centres, k, labels, distances, sums, counts); return; }
#endif
    nearest_centres_portable(x, n, d, centres, k, labels, distances, sums, counts);
}
