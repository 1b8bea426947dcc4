#include "PetalKernels.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PETAL_X86 1
#endif

// A general matrix product in the manner of a BLAS dgemm (Goto's layout): the k dimension is cut into slabs of KC;
// each slab of B is packed once into panels of NR columns (kk-major: the NR values of one k index side by side), and
// each MC-row block of op(A) into panels of MR rows (the MR values of one k index side by side), both zero-padded to
// whole panels; a micro-kernel then multiplies one MR-row panel by one NR-column panel into an MR × NR tile kept in
// registers, and adds the tile into C (only its in-range part). Packing makes every inner loop read memory in order
// and lets one kernel serve both A and Aᵀ.

enum { MR = 6, NR = 8, KC = 256, MC = 72 };

static ptrdiff_t ceil_to(ptrdiff_t v, ptrdiff_t step) { return (v + step - 1) / step * step; }

ptrdiff_t petal_dgemm_workspace(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k) {
    const ptrdiff_t kc = k < KC ? k : KC, mc = m < MC ? ceil_to(m, MR) : MC;
    return kc * ceil_to(n, NR) + kc * mc;
}

/// op(A)[i][p] for i in i0..<i0+mr and p in p0..<p0+kc into MR-row panels (rows past m are zeros).
static void pack_a(int trans_a, const double *a, ptrdiff_t lda, ptrdiff_t m, ptrdiff_t i0, ptrdiff_t mc, ptrdiff_t p0,
                   ptrdiff_t kc, double *out) {
    for (ptrdiff_t ip = 0; ip < mc; ip += MR, out += MR * kc) {
        for (ptrdiff_t p = 0; p < kc; p++) {
            double *to = out + p * MR;
            for (ptrdiff_t i = 0; i < MR; i++) {
                const ptrdiff_t row = i0 + ip + i;
                to[i] = row < m ? (trans_a ? a[(p0 + p) * lda + row] : a[row * lda + p0 + p]) : 0.0;
            }
        }
    }
}

/// op(B)[p][j] for p in p0..<p0+kc and all n columns into NR-column panels (columns past n are zeros).
static void pack_b(int trans_b, const double *b, ptrdiff_t ldb, ptrdiff_t n, ptrdiff_t p0, ptrdiff_t kc, double *out) {
    for (ptrdiff_t jp = 0; jp < n; jp += NR, out += NR * kc) {
        if (trans_b) {
            for (ptrdiff_t j = 0; j < NR; j++) {
                const double *from = b + (jp + j) * ldb + p0;
                if (jp + j < n) {
                    for (ptrdiff_t p = 0; p < kc; p++) out[p * NR + j] = from[p];
                } else {
                    for (ptrdiff_t p = 0; p < kc; p++) out[p * NR + j] = 0.0;
                }
            }
            continue;
        }
        for (ptrdiff_t p = 0; p < kc; p++) {
            const double *from = b + (p0 + p) * ldb + jp;
            double *to = out + p * NR;
            if (jp + NR <= n) {
                memcpy(to, from, NR * sizeof(double));
            } else {
                for (ptrdiff_t j = 0; j < NR; j++) to[j] = jp + j < n ? from[j] : 0.0;
            }
        }
    }
}

/// Adds an MR × NR tile into C's mr × nr corner at c.
static inline void add_tile(const double *tile, double *c, ptrdiff_t ldc, ptrdiff_t mr, ptrdiff_t nr) {
    for (ptrdiff_t i = 0; i < mr; i++)
        for (ptrdiff_t j = 0; j < nr; j++) c[i * ldc + j] += tile[i * NR + j];
}

static void kernel_portable(ptrdiff_t kc, const double *ap, const double *bp, double *tile) {
    double s[MR][NR] = {{0}};
    for (ptrdiff_t p = 0; p < kc; p++, ap += MR, bp += NR)
        for (int i = 0; i < MR; i++)
            for (int j = 0; j < NR; j++) s[i][j] += ap[i] * bp[j];
    memcpy(tile, s, sizeof s);
}

#ifdef PETAL_X86
// 6 × 8: twelve accumulators of four doubles, two B loads and six broadcasts per k index, fifteen registers.
__attribute__((target("avx2,fma")))
static void kernel_avx2(ptrdiff_t kc, const double *ap, const double *bp, double *tile) {
    __m256d c00 = _mm256_setzero_pd(), c01 = _mm256_setzero_pd(), c10 = _mm256_setzero_pd(), c11 = _mm256_setzero_pd();
    __m256d c20 = _mm256_setzero_pd(), c21 = _mm256_setzero_pd(), c30 = _mm256_setzero_pd(), c31 = _mm256_setzero_pd();
    __m256d c40 = _mm256_setzero_pd(), c41 = _mm256_setzero_pd(), c50 = _mm256_setzero_pd(), c51 = _mm256_setzero_pd();
    for (ptrdiff_t p = 0; p < kc; p++, ap += MR, bp += NR) {
        const __m256d b0 = _mm256_loadu_pd(bp), b1 = _mm256_loadu_pd(bp + 4);
        __m256d a = _mm256_broadcast_sd(ap);
        c00 = _mm256_fmadd_pd(a, b0, c00); c01 = _mm256_fmadd_pd(a, b1, c01);
        a = _mm256_broadcast_sd(ap + 1);
        c10 = _mm256_fmadd_pd(a, b0, c10); c11 = _mm256_fmadd_pd(a, b1, c11);
        a = _mm256_broadcast_sd(ap + 2);
        c20 = _mm256_fmadd_pd(a, b0, c20); c21 = _mm256_fmadd_pd(a, b1, c21);
        a = _mm256_broadcast_sd(ap + 3);
        c30 = _mm256_fmadd_pd(a, b0, c30); c31 = _mm256_fmadd_pd(a, b1, c31);
        a = _mm256_broadcast_sd(ap + 4);
        c40 = _mm256_fmadd_pd(a, b0, c40); c41 = _mm256_fmadd_pd(a, b1, c41);
        a = _mm256_broadcast_sd(ap + 5);
        c50 = _mm256_fmadd_pd(a, b0, c50); c51 = _mm256_fmadd_pd(a, b1, c51);
    }
    _mm256_storeu_pd(tile, c00); _mm256_storeu_pd(tile + 4, c01);
    _mm256_storeu_pd(tile + 8, c10); _mm256_storeu_pd(tile + 12, c11);
    _mm256_storeu_pd(tile + 16, c20); _mm256_storeu_pd(tile + 20, c21);
    _mm256_storeu_pd(tile + 24, c30); _mm256_storeu_pd(tile + 28, c31);
    _mm256_storeu_pd(tile + 32, c40); _mm256_storeu_pd(tile + 36, c41);
    _mm256_storeu_pd(tile + 40, c50); _mm256_storeu_pd(tile + 44, c51);
}
#endif

/// The product, all of it, or with `upper` only the MR × NR tiles that reach the diagonal or above it (C[i][j] with
/// i ≤ j and some of their neighbours below): each tile computed is computed as in the full product.
static void dgemm(int upper, int trans_a, int trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t lda,
                  const double *b, ptrdiff_t ldb, int accumulate, double *c, ptrdiff_t ldc, double *work) {
    if (m <= 0 || n <= 0) return;
    if (!accumulate)
        for (ptrdiff_t i = 0; i < m; i++) memset(c + i * ldc, 0, (size_t)n * sizeof(double));
    if (k <= 0) return;
    void (*kernel)(ptrdiff_t, const double *, const double *, double *) = kernel_portable;
#ifdef PETAL_X86
    if (petal_kernels_wide()) kernel = kernel_avx2;
#endif
    const ptrdiff_t npad = ceil_to(n, NR);
    double *bpack = work, *apack = work + (k < KC ? k : KC) * npad;
    double tile[MR * NR];
    for (ptrdiff_t p0 = 0; p0 < k; p0 += KC) {
        const ptrdiff_t kc = k - p0 < KC ? k - p0 : KC;
        pack_b(trans_b, b, ldb, n, p0, kc, bpack);
        for (ptrdiff_t i0 = 0; i0 < m; i0 += MC) {
            const ptrdiff_t mc = m - i0 < MC ? ceil_to(m - i0, MR) : MC;
            pack_a(trans_a, a, lda, m, i0, mc, p0, kc, apack);
            for (ptrdiff_t jp = 0; jp < n; jp += NR) {
                const ptrdiff_t nr = n - jp < NR ? n - jp : NR;
                for (ptrdiff_t ip = 0; ip < mc && i0 + ip < m; ip += MR) {
                    if (upper && i0 + ip > jp + nr - 1) break;  // this tile and the ones below it lie under the diagonal
                    const ptrdiff_t mr = m - i0 - ip < MR ? m - i0 - ip : MR;
                    kernel(kc, apack + ip * kc, bpack + jp * kc, tile);
                    add_tile(tile, c + (i0 + ip) * ldc + jp, ldc, mr, nr);
                }
            }
        }
    }
}

void petal_dgemm(int trans_a, int trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t lda, const double *b,
                 ptrdiff_t ldb, int accumulate, double *c, ptrdiff_t ldc, double *work) {
    dgemm(0, trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c, ldc, work);
}

void petal_dgemm_upper(int trans_a, int trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t lda,
                       const double *b, ptrdiff_t ldb, int accumulate, double *c, ptrdiff_t ldc, double *work) {
    dgemm(1, trans_a, trans_b, m, n, k, a, lda, b, ldb, accumulate, c, ldc, work);
}
