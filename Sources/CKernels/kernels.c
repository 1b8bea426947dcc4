#include "PetalKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PETAL_X86 1
#endif

// MARK: - Portable versions (the compiler vectorises them for the baseline target)

// The dot-product kernels work on sub-blocks of 24 rows (AVX-512: 48) of a block `width` rows wide (a multiple of
// 24): feature j of row l at block[j * width + l], so every version reads every block layout.
enum { NARROW = 24, BROAD = 48 };

static void dots3_portable(const float *queries, ptrdiff_t triples, ptrdiff_t m, const float *block, ptrdiff_t width,
                           float *dots, ptrdiff_t stride) {
    for (ptrdiff_t half = 0; half < width; half += NARROW)
        for (ptrdiff_t t = 0; t < triples; t++) {
            float s[3][NARROW] = {{0}};
            const float *q = queries + 3 * t * m, *v = block + half;
            for (ptrdiff_t j = 0; j < m; j++, v += width) {
                const float a[3] = {q[j], q[m + j], q[2 * m + j]};
                for (int g = 0; g < 3; g++)
                    for (int l = 0; l < NARROW; l++) s[g][l] += a[g] * v[l];
            }
            for (int g = 0; g < 3; g++)
                for (int l = 0; l < NARROW; l++) dots[(3 * t + g) * stride + half + l] = s[g][l];
        }
}

static ptrdiff_t next_portable(const float *dots, const double *scales, const double *norms, double qscale, double nq,
                               double slack, double worst, ptrdiff_t from, ptrdiff_t count) {
    const double keep = 1 - slack;
    for (ptrdiff_t b = from; b < count; b++)
        if (!((norms[b] + nq) * keep - (double)dots[b] * scales[b] * qscale > worst)) return b;
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
// 3 queries × 24 rows: nine accumulators of eight floats (independent sums to cover the FMA latency on two units),
// three block loads and three broadcasts per feature; thirteen registers, so nothing spills (with doubles, 4 × 12
// needed seventeen and measured half as fast, 4 × 8 about 15 % slower than 3 × 12). The block (24 rows, m floats)
// stays in L1 while the query triples stream past it: a feature's three 32-byte block loads come from L1, and only
// the queries' 12 bytes from further out.
__attribute__((target("avx2,fma")))
static void dots3_avx2(const float *queries, ptrdiff_t triples, ptrdiff_t m, const float *block, ptrdiff_t width,
                       float *dots, ptrdiff_t stride) {
    for (ptrdiff_t half = 0; half < width; half += NARROW)
    for (ptrdiff_t t = 0; t < triples; t++) {
        __m256 s00 = _mm256_setzero_ps(), s01 = _mm256_setzero_ps(), s02 = _mm256_setzero_ps();
        __m256 s10 = _mm256_setzero_ps(), s11 = _mm256_setzero_ps(), s12 = _mm256_setzero_ps();
        __m256 s20 = _mm256_setzero_ps(), s21 = _mm256_setzero_ps(), s22 = _mm256_setzero_ps();
        const float *q0 = queries + 3 * t * m, *q1 = q0 + m, *q2 = q1 + m, *v = block + half;
        for (ptrdiff_t j = 0; j < m; j++, v += width) {
            const __m256 v0 = _mm256_loadu_ps(v), v1 = _mm256_loadu_ps(v + 8), v2 = _mm256_loadu_ps(v + 16);
            __m256 a = _mm256_broadcast_ss(q0 + j);
            s00 = _mm256_fmadd_ps(a, v0, s00); s01 = _mm256_fmadd_ps(a, v1, s01); s02 = _mm256_fmadd_ps(a, v2, s02);
            a = _mm256_broadcast_ss(q1 + j);
            s10 = _mm256_fmadd_ps(a, v0, s10); s11 = _mm256_fmadd_ps(a, v1, s11); s12 = _mm256_fmadd_ps(a, v2, s12);
            a = _mm256_broadcast_ss(q2 + j);
            s20 = _mm256_fmadd_ps(a, v0, s20); s21 = _mm256_fmadd_ps(a, v1, s21); s22 = _mm256_fmadd_ps(a, v2, s22);
        }
        float *o = dots + 3 * t * stride + half;
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
        // would round differently — harmless for a filter, but keep the versions' answers alike).
        const __m256d s = _mm256_mul_pd(_mm256_add_pd(_mm256_loadu_pd(norms + b), vq), vk);
        const __m256d p = _mm256_mul_pd(_mm256_mul_pd(_mm256_cvtps_pd(_mm_loadu_ps(dots + b)), _mm256_loadu_pd(scales + b)), vs);
        const int mask = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_sub_pd(s, p), vw, _CMP_NGT_UQ));
        if (mask) return b + __builtin_ctz((unsigned)mask);
    }
    return next_portable(dots, scales, norms, qscale, nq, slack, worst, b, count);
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
// MARK: - AVX-512

// 6 queries (two triples) × 48 rows: eighteen accumulators of sixteen floats, three block loads and six broadcasts
// per feature, twenty-two of the thirty-two registers; a last odd triple runs 3 × 48 (nine accumulators, still
// enough independent sums for two FMA units of latency 4). Twice the products per instruction of the AVX2 kernel,
// and per feature 9 loads to 18 FMAs (AVX2: 6 to 9), so the FMA units stay the limit. Blocks that are not 48 wide
// (packed for another version) go to the AVX2 kernel.
#define DOTS_AVX512_ROWS(G)                                                                                        \
    do {                                                                                                           \
        __m512 s[G][3];                                                                                            \
        for (int g = 0; g < G; g++) s[g][0] = s[g][1] = s[g][2] = _mm512_setzero_ps();                             \
        const float *q = queries + 3 * t * m, *v = block;                                                          \
        for (ptrdiff_t j = 0; j < m; j++, v += BROAD) {                                                            \
            const __m512 v0 = _mm512_loadu_ps(v), v1 = _mm512_loadu_ps(v + 16), v2 = _mm512_loadu_ps(v + 32);     \
            for (int g = 0; g < G; g++) {                                                                          \
                const __m512 a = _mm512_set1_ps(q[g * m + j]);                                                     \
                s[g][0] = _mm512_fmadd_ps(a, v0, s[g][0]);                                                         \
                s[g][1] = _mm512_fmadd_ps(a, v1, s[g][1]);                                                         \
                s[g][2] = _mm512_fmadd_ps(a, v2, s[g][2]);                                                         \
            }                                                                                                      \
        }                                                                                                          \
        for (int g = 0; g < G; g++) {                                                                              \
            float *o = dots + (3 * t + g) * stride;                                                                \
            _mm512_storeu_ps(o, s[g][0]); _mm512_storeu_ps(o + 16, s[g][1]); _mm512_storeu_ps(o + 32, s[g][2]);    \
        }                                                                                                          \
    } while (0)

__attribute__((target("avx512f")))
static void dots3_avx512(const float *queries, ptrdiff_t triples, ptrdiff_t m, const float *block, float *dots,
                         ptrdiff_t stride) {
    ptrdiff_t t = 0;
    for (; t + 2 <= triples; t += 2) DOTS_AVX512_ROWS(6);
    if (t < triples) DOTS_AVX512_ROWS(3);
}
#undef DOTS_AVX512_ROWS

// The AVX2 filter's operations, eight rows a step.
__attribute__((target("avx512f")))
static ptrdiff_t next_avx512(const float *dots, const double *scales, const double *norms, double qscale, double nq,
                             double slack, double worst, ptrdiff_t from, ptrdiff_t count) {
    const double keep = 1 - slack;
    const __m512d vq = _mm512_set1_pd(nq), vk = _mm512_set1_pd(keep), vw = _mm512_set1_pd(worst);
    const __m512d vs = _mm512_set1_pd(qscale);
    ptrdiff_t b = from;
    for (; b + 8 <= count; b += 8) {
        const __m512d s = _mm512_mul_pd(_mm512_add_pd(_mm512_loadu_pd(norms + b), vq), vk);
        const __m512d p = _mm512_mul_pd(_mm512_mul_pd(_mm512_cvtps_pd(_mm256_loadu_ps(dots + b)), _mm512_loadu_pd(scales + b)), vs);
        const unsigned mask = _mm512_cmp_pd_mask(_mm512_sub_pd(s, p), vw, _CMP_NGT_UQ);
        if (mask) return b + __builtin_ctz(mask);
    }
    return next_portable(dots, scales, norms, qscale, nq, slack, worst, b, count);
}
#endif

// MARK: - Dispatch

/// The CPU's best version (-1 until the CPU was asked; then 2 for AVX-512, 1 for AVX2 + FMA, 0 for none), and the
/// highest version the tests allow (`petal_kernels_cap`).
static int cpu = -1, cap = 2;

static int cpu_level(void) {
#ifdef PETAL_X86
    int c = __atomic_load_n(&cpu, __ATOMIC_RELAXED);
    if (c < 0) {
        __builtin_cpu_init();
        c = !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? 0 : __builtin_cpu_supports("avx512f") ? 2 : 1;
        __atomic_store_n(&cpu, c, __ATOMIC_RELAXED);
    }
    return c;
#else
    return 0;
#endif
}

static int level(void) {
    const int c = cpu_level(), k = __atomic_load_n(&cap, __ATOMIC_RELAXED);
    return c < k ? c : k;
}

static int wide(void) { return level() >= 1; }

void petal_kernels_use_wide(int on) { petal_kernels_cap(on ? 2 : 0); }

void petal_kernels_cap(int version) { __atomic_store_n(&cap, version < 0 ? 0 : version, __ATOMIC_RELAXED); }

int petal_kernels_wide(void) { return level(); }

int petal_kernels_cpu(void) { return cpu_level(); }

ptrdiff_t petal_dots_width(void) { return level() >= 2 ? BROAD : NARROW; }

void petal_dots3f(const float *queries, ptrdiff_t triples, ptrdiff_t m, const float *block, ptrdiff_t width, float *dots,
                  ptrdiff_t stride) {
#ifdef PETAL_X86
    const int v = level();
    if (v >= 2 && width == BROAD) { dots3_avx512(queries, triples, m, block, dots, stride); return; }
    if (v >= 1) { dots3_avx2(queries, triples, m, block, width, dots, stride); return; }
#endif
    dots3_portable(queries, triples, m, block, width, dots, stride);
}

ptrdiff_t petal_next_candidate(const float *dots, const double *scales, const double *norms, double qscale, double nq,
                               double slack, double worst, ptrdiff_t from, ptrdiff_t count) {
#ifdef PETAL_X86
    const int v = level();
    if (v >= 2) return next_avx512(dots, scales, norms, qscale, nq, slack, worst, from, count);
    if (v >= 1) return next_avx2(dots, scales, norms, qscale, nq, slack, worst, from, count);
#endif
    return next_portable(dots, scales, norms, qscale, nq, slack, worst, from, count);
}

void petal_nearest_centres(const double *x, ptrdiff_t n, ptrdiff_t d, const double *centres, ptrdiff_t k,
                           ptrdiff_t *labels, double *distances, double *sums, ptrdiff_t *counts) {
#ifdef PETAL_X86
    if (wide()) { nearest_centres_avx2(x, n, d, centres, k, labels, distances, sums, counts); return; }
#endif
    nearest_centres_portable(x, n, d, centres, k, labels, distances, sums, counts);
}
