#ifndef PETAL_KERNELS_H
#define PETAL_KERNELS_H

#include <stddef.h>

/// Dense kernels Petal's Swift code calls where the package's baseline x86-64 target (SSE2) leaves most of the
/// machine idle. Each has a portable version and, on x86-64, an AVX2 + FMA version chosen once at run time from the
/// CPU's features, so one binary runs everywhere and uses the wide units where they exist.
///
/// The kNN kernels' results are used where any summation order is acceptable (callers bound the rounding and, where
/// exactness matters, recompute exactly), so their two versions may round differently; k-means' kernel gives the
/// same bits in both.

/// Training rows per block of a packed panel (`petal_dots3`).
#define PETAL_PANEL_WIDTH 12

/// dots[g * stride + t * W + l] = q_g · (row l of block t) for the three query rows q0…q2 of `m` features and the
/// panel's blocks 0..<blocks, W = PETAL_PANEL_WIDTH. The panel is packed as a GEMM kernel reads it: block t's
/// feature j of row l is at panel[(t * m + j) * W + l], so the kernel walks memory in order.
void petal_dots3(const double *q0, const double *q1, const double *q2,
                 const double *panel, ptrdiff_t m, ptrdiff_t blocks, double *dots, ptrdiff_t stride);

/// The first b in from..<count where (norms[b] + nq) * (1 - slack) - 2 * dots[b] is not above worst (NaN counts
/// as not above), or count when none: the
/// rows a brute-force k-nearest-neighbour search must look at exactly (see BlockedSearch.swift).
ptrdiff_t petal_next_candidate(const double *dots, const double *norms, double nq, double slack, double worst,
                               ptrdiff_t from, ptrdiff_t count);

/// k-means' assignment for rows 0..<n of x (row-major, d features): each row's nearest of the k centres (row-major,
/// d features; the first on ties) by squared euclidean distance. With `labels` and `distances` (n entries each) it
/// stores the centre and the squared distance; with `sums` (k × d) and `counts` (k) it adds the row into its centre's
/// sum and counts it. Either pair may be NULL. Unlike the kNN kernels, both versions give the same bits: the
/// distance is summed in one fixed order, without fused multiply-adds (see kernels.c).
void petal_nearest_centres(const double *x, ptrdiff_t n, ptrdiff_t d, const double *centres, ptrdiff_t k,
                           ptrdiff_t *labels, double *distances, double *sums, ptrdiff_t *counts);

/// Which version runs: 1 for AVX2 + FMA, 0 for the portable one (for tests and benchmarks to report).
int petal_kernels_wide(void);

/// Tests: 0 makes every kernel use its portable version from now on; 1 goes back to choosing by the CPU.
void petal_kernels_use_wide(int on);

#endif
