#ifndef PETAL_KERNELS_H
#define PETAL_KERNELS_H

#include <stddef.h>

/// Dense kernels Petal's Swift code calls where the package's baseline x86-64 target (SSE2) leaves most of the
/// machine idle. Each has a portable version and, on x86-64, an AVX2 + FMA version (the kNN dot products also an
/// AVX-512 one) chosen at run time from the CPU's features, so one binary runs everywhere and uses the wide units
/// where they exist.
///
/// The kNN kernels' results are used where any summation order is acceptable (callers bound the rounding and, where
/// exactness matters, recompute exactly), so their versions may round differently; k-means' kernel gives the
/// same bits in both.

/// Training rows per block of a packed panel (`petal_dots3f`) that the running version works on best: 48 (three
/// AVX-512 registers of sixteen floats) with AVX-512, else 24 (three AVX2 registers of eight floats). Every version
/// reads blocks of any multiple of 24 rows, so a panel packed before `petal_kernels_cap` changed still works.
ptrdiff_t petal_dots_width(void);

/// dots[r * stride + l] = (query row r) · (row l of the block) in single precision, for the query rows
/// r in 0..<3·triples (consecutive, `m` floats each) and the block's `width` rows (a multiple of 24), packed as a
/// GEMM kernel reads them: feature j of row l at block[j * width + l], so the kernel walks memory in order.
/// Each sum rounds at most (m + 2)·2⁻²⁴·Σ|q_j·v_j| (+ a few 2⁻¹²⁶ where values are subnormal) away from the exact
/// dot product of the rows the floats were rounded from, whatever the version (fused or not, any lane order).
void petal_dots3f(const float *queries, ptrdiff_t triples, ptrdiff_t m, const float *block, ptrdiff_t width, float *dots,
                  ptrdiff_t stride);

/// The first b in from..<count where (norms[b] + nq) * (1 - slack) - dots[b] * scales[b] * qscale is not above
/// worst (NaN counts as not above), or count when none: the rows a brute-force k-nearest-neighbour search must
/// look at exactly (see BlockedSearch.swift; `scales` and `qscale` undo the rows' power-of-two scaling, and
/// qscale carries the factor 2 of −2·q·x).
ptrdiff_t petal_next_candidate(const float *dots, const double *scales, const double *norms, double qscale, double nq,
                               double slack, double worst, ptrdiff_t from, ptrdiff_t count);

/// k-means' assignment for rows 0..<n of x (row-major, d features): each row's nearest of the k centres (row-major,
/// d features; the first on ties) by squared euclidean distance. With `labels` and `distances` (n entries each) it
/// stores the centre and the squared distance; with `sums` (k × d) and `counts` (k) it adds the row into its centre's
/// sum and counts it. Either pair may be NULL. Unlike the kNN kernels, both versions give the same bits: the
/// distance is summed in one fixed order, without fused multiply-adds (see kernels.c).
void petal_nearest_centres(const double *x, ptrdiff_t n, ptrdiff_t d, const double *centres, ptrdiff_t k,
                           ptrdiff_t *labels, double *distances, double *sums, ptrdiff_t *counts);

/// C = op(A)·op(B), or C += op(A)·op(B) when `accumulate` is non-zero: op(A) is m × k, op(B) is k × n, C is m × n,
/// all row-major with row strides lda, ldb, ldc. op(A) is A (m rows of at least k values) when `trans_a` is 0, and Aᵀ
/// when it is 1 (A then has k rows of at least m values); likewise op(B) is B (k rows of n) or, with `trans_b`, Bᵀ
/// (n rows of k). `work` holds at least `petal_dgemm_workspace(m, n, k)` doubles; the
/// caller owns it (one per thread). The AVX2 version fuses multiply-adds and the portable one does not, so the two
/// may round differently; each is deterministic for the same arguments. See gemm.c.
void petal_dgemm(int trans_a, int trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t lda, const double *b,
                 ptrdiff_t ldb, int accumulate, double *c, ptrdiff_t ldc, double *work);

/// `petal_dgemm` computing only C's entries on and above the diagonal (i ≤ j), for a symmetric product such as
/// AᵀA: the tiles wholly below it are skipped (their entries of C are left as they were; some entries below the
/// diagonal, in tiles that cross it, are written too). An entry it computes has the value `petal_dgemm` gives it.
void petal_dgemm_upper(int trans_a, int trans_b, ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, const double *a, ptrdiff_t lda,
                       const double *b, ptrdiff_t ldb, int accumulate, double *c, ptrdiff_t ldc, double *work);

/// How many doubles `petal_dgemm` needs as `work` for these sizes.
ptrdiff_t petal_dgemm_workspace(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k);

/// Rows from a block of column slices: rows[i][targets[k]] = staged[k * stride + i] for i in 0..<count and k in
/// 0..<width (column k's `count` values side by side at staged + k·stride). A copy, so every version writes the same
/// values; where four targets in a row are consecutive the AVX2 version moves four rows of four columns at a time.
/// Returns 1 when a value copied is NaN, else 0. See unstage.c.
int petal_unstage_rows(const double *staged, ptrdiff_t stride, ptrdiff_t count, const ptrdiff_t *targets, ptrdiff_t width,
                       double *const *rows);

/// Which version runs: 2 for AVX-512 (the kNN dot products; every other kernel runs its AVX2 version there), 1 for
/// AVX2 + FMA, 0 for the portable one (for tests and benchmarks to report).
int petal_kernels_wide(void);

/// The best version this CPU runs (2, 1 or 0 as `petal_kernels_wide`), whatever the cap.
int petal_kernels_cpu(void);

/// Tests: every kernel uses at most version `version` from now on (0 portable, 1 AVX2 + FMA, 2 AVX-512), or the
/// CPU's best when that is lower. The cap starts at 2.
void petal_kernels_cap(int version);

/// Tests: 0 makes every kernel use its portable version from now on (`petal_kernels_cap(0)`); 1 goes back to
/// choosing by the CPU (`petal_kernels_cap(2)`).
void petal_kernels_use_wide(int on);

#endif
