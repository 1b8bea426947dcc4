#include "PetalKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define PETAL_X86 1
#endif

// Rows of a row-major matrix from a block of column slices (see PetalKernels.h). Written one value at a time, each
// row's loads came from `width` different cache lines of the staging block; the AVX2 version reads four rows of four
// columns as four vectors and transposes them in registers (4 stores of 4 values instead of 16 of one).

static int unstage_portable(const double *staged, ptrdiff_t stride, ptrdiff_t count, const ptrdiff_t *targets,
                            ptrdiff_t width, double *const *rows) {
    int nan = 0;
    for (ptrdiff_t i = 0; i < count; i++) {
        double *row = rows[i];
        const double *from = staged + i;
        for (ptrdiff_t k = 0; k < width; k++, from += stride) {
            const double v = *from;
            nan |= v != v;
            row[targets[k]] = v;
        }
    }
    return nan;
}

#ifdef PETAL_X86
__attribute__((target("avx2,fma")))
static int unstage_avx2(const double *staged, ptrdiff_t stride, ptrdiff_t count, const ptrdiff_t *targets, ptrdiff_t width,
                        double *const *rows) {
    __m256d unordered = _mm256_setzero_pd();
    int nan = 0;
    ptrdiff_t i = 0;
    for (; i + 4 <= count; i += 4) {
        double *r0 = rows[i], *r1 = rows[i + 1], *r2 = rows[i + 2], *r3 = rows[i + 3];
        ptrdiff_t k = 0;
        while (k < width) {
            const ptrdiff_t t = targets[k];
            const double *f = staged + k * stride + i;
            if (k + 4 <= width && targets[k + 1] == t + 1 && targets[k + 2] == t + 2 && targets[k + 3] == t + 3) {
                // Columns k…k+3 of rows i…i+3: one vector per column, transposed into one vector per row.
                const __m256d a = _mm256_loadu_pd(f), b = _mm256_loadu_pd(f + stride);
                const __m256d c = _mm256_loadu_pd(f + 2 * stride), d = _mm256_loadu_pd(f + 3 * stride);
                unordered = _mm256_or_pd(unordered, _mm256_or_pd(_mm256_cmp_pd(a, b, _CMP_UNORD_Q), _mm256_cmp_pd(c, d, _CMP_UNORD_Q)));
                const __m256d ab0 = _mm256_unpacklo_pd(a, b), ab1 = _mm256_unpackhi_pd(a, b);
                const __m256d cd0 = _mm256_unpacklo_pd(c, d), cd1 = _mm256_unpackhi_pd(c, d);
                _mm256_storeu_pd(r0 + t, _mm256_permute2f128_pd(ab0, cd0, 0x20));
                _mm256_storeu_pd(r1 + t, _mm256_permute2f128_pd(ab1, cd1, 0x20));
                _mm256_storeu_pd(r2 + t, _mm256_permute2f128_pd(ab0, cd0, 0x31));
                _mm256_storeu_pd(r3 + t, _mm256_permute2f128_pd(ab1, cd1, 0x31));
                k += 4;
                continue;
            }
            const double v0 = f[0], v1 = f[1], v2 = f[2], v3 = f[3];
            nan |= (v0 != v0) | (v1 != v1) | (v2 != v2) | (v3 != v3);
            r0[t] = v0; r1[t] = v1; r2[t] = v2; r3[t] = v3;
            k += 1;
        }
    }
    nan |= _mm256_movemask_pd(unordered) != 0;
    return unstage_portable(staged + i, stride, count - i, targets, width, rows + i) | nan;
}
#endif

int petal_unstage_rows(const double *staged, ptrdiff_t stride, ptrdiff_t count, const ptrdiff_t *targets, ptrdiff_t width,
                       double *const *rows) {
#ifdef PETAL_X86
    if (petal_kernels_wide() >= 1) return unstage_avx2(staged, stride, count, targets, width, rows);
#endif
    return unstage_portable(staged, stride, count, targets, width, rows);
}
