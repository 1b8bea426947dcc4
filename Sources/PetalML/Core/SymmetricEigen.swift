import Foundation

/// Eigenvalues and eigenvectors of a small symmetric matrix: Householder reduction to tridiagonal form, then the
/// implicit QL iteration with Wilkinson-style shifts (the EISPACK `tred2` / `tql2` pair, as LAPACK's `dsteqr`
/// route), about 3n³ multiply-adds in all. Cyclic Jacobi rotations, used before, took ~8 sweeps of 3n³ each: a
/// fifth of a PCA fit on 100 features.
enum SymmetricEigen {
    /// Eigenvalues in decreasing order, with their unit eigenvectors (`vectors[k]` belongs to `values[k]`), of the
    /// `n × n` row-major symmetric matrix `a` (its lower triangle is read). Each vector's sign is chosen so that its
    /// largest-magnitude entry is positive (scikit-learn's `svd_flip` for components).
    static func decompose(_ a: [Double], n: Int) -> (values: [Double], vectors: [[Double]]) {
        guard n > 0, a.count >= n * n else { return ([], []) }
        var v = Array(a[0..<(n * n)])
        var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
        v.withUnsafeMutableBufferPointer { vb in
            d.withUnsafeMutableBufferPointer { db in
                e.withUnsafeMutableBufferPointer { eb in
                    guard let v = vb.baseAddress, let d = db.baseAddress, let e = eb.baseAddress else { return }
                    tridiagonalize(v, d, e, n)
                    diagonalize(v, d, e, n)
                }
            }
        }
        let order = (0..<n).sorted { d[$0] > d[$1] }
        let values = order.map { d[$0] }
        let vectors = order.map { k -> [Double] in
            var column = (0..<n).map { v[$0 * n + k] }
            let big = column.indices.max { abs(column[$0]) < abs(column[$1]) } ?? 0
            if column[big] < 0 { column = column.map { -$0 } }
            return column
        }
        return (values, vectors)
    }

    /// Householder reduction of the symmetric matrix in `v` (row-major n × n) to tridiagonal form: on return `d`
    /// holds the diagonal, `e[1...]` the subdiagonal (`e[0]` = 0), and `v` the orthogonal transformation.
    private static func tridiagonalize(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                                       _ e: UnsafeMutablePointer<Double>, _ n: Int) {
        @inline(__always) func at(_ r: Int, _ c: Int) -> UnsafeMutablePointer<Double> { v + r * n + c }
        for j in 0..<n { d[j] = at(n - 1, j).pointee }
        var i = n - 1
        while i > 0 {
            // The row is scaled first, so that its squares neither overflow nor underflow.
            var scale = 0.0, h = 0.0
            for k in 0..<i { scale += abs(d[k]) }
            if scale == 0 {
                e[i] = d[i - 1]
                for j in 0..<i {
                    d[j] = at(i - 1, j).pointee
                    at(i, j).pointee = 0; at(j, i).pointee = 0
                }
            } else {
                // The Householder vector.
                for k in 0..<i { d[k] /= scale; h += d[k] * d[k] }
                var f = d[i - 1]
                var g = h.squareRoot()
                if f > 0 { g = -g }
                e[i] = scale * g
                h -= f * g
                d[i - 1] = f - g
                for j in 0..<i { e[j] = 0 }
                // The similarity transformation of the remaining columns.
                for j in 0..<i {
                    f = d[j]
                    at(j, i).pointee = f
                    g = e[j] + at(j, j).pointee * f
                    var k = j + 1
                    while k < i {
                        g += at(k, j).pointee * d[k]
                        e[k] += at(k, j).pointee * f
                        k += 1
                    }
                    e[j] = g
                }
                f = 0
                for j in 0..<i { e[j] /= h; f += e[j] * d[j] }
                let hh = f / (h + h)
                for j in 0..<i { e[j] -= hh * d[j] }
                for j in 0..<i {
                    f = d[j]; g = e[j]
                    for k in j..<i { at(k, j).pointee -= f * e[k] + g * d[k] }
                    d[j] = at(i - 1, j).pointee
                    at(i, j).pointee = 0
                }
            }
            d[i] = h
            i -= 1
        }
        // The transformations accumulated.
        for i in 0..<(n - 1) {
            at(n - 1, i).pointee = at(i, i).pointee
            at(i, i).pointee = 1
            let h = d[i + 1]
            if h != 0 {
                for k in 0...i { d[k] = at(k, i + 1).pointee / h }
                for j in 0...i {
                    var g = 0.0
                    for k in 0...i { g += at(k, i + 1).pointee * at(k, j).pointee }
                    for k in 0...i { at(k, j).pointee -= g * d[k] }
                }
            }
            for k in 0...i { at(k, i + 1).pointee = 0 }
        }
        for j in 0..<n { d[j] = at(n - 1, j).pointee; at(n - 1, j).pointee = 0 }
        at(n - 1, n - 1).pointee = 1
        e[0] = 0
    }

    /// The implicit QL iteration on the tridiagonal matrix (`d`, `e` from `tridiagonalize`): `d` becomes the
    /// eigenvalues (unsorted) and `v`'s columns the eigenvectors. An eigenvalue that has not converged after 60
    /// steps (only non-finite input does that) is left as it stands.
    private static func diagonalize(_ v: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>,
                                    _ e: UnsafeMutablePointer<Double>, _ n: Int) {
        for i in 1..<max(1, n) { e[i - 1] = e[i] }
        e[n - 1] = 0
        var f = 0.0, largest = 0.0
        let eps = Double.ulpOfOne
        for l in 0..<n {
            // The first negligible subdiagonal element at or after l.
            largest = max(largest, abs(d[l]) + abs(e[l]))
            var m = l
            while m < n - 1 && !(abs(e[m]) <= eps * largest) { m += 1 }
            if m > l {
                var steps = 0
                repeat {
                    steps += 1
                    // The shift.
                    var g = d[l]
                    var p = (d[l + 1] - g) / (2 * e[l])
                    var r = hypot(p, 1)
                    if p < 0 { r = -r }
                    d[l] = e[l] / (p + r)
                    d[l + 1] = e[l] * (p + r)
                    let dl1 = d[l + 1]
                    var h = g - d[l]
                    var i = l + 2
                    while i < n { d[i] -= h; i += 1 }
                    f += h
                    // The implicit QL transformation.
                    p = d[m]
                    var c = 1.0, c2 = c, c3 = c
                    let el1 = e[l + 1]
                    var s = 0.0, s2 = 0.0
                    i = m - 1
                    while i >= l {
                        c3 = c2; c2 = c; s2 = s
                        g = c * e[i]
                        h = c * p
                        r = hypot(p, e[i])
                        e[i + 1] = s * r
                        s = e[i] / r
                        c = p / r
                        p = c * d[i] - s * g
                        d[i + 1] = h + s * (c * g + s * d[i])
                        for k in 0..<n {
                            let row = v + k * n
                            h = row[i + 1]
                            row[i + 1] = s * row[i] + c * h
                            row[i] = c * row[i] - s * h
                        }
                        i -= 1
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1
                    e[l] = s * p
                    d[l] = c * p
                } while abs(e[l]) > eps * largest && steps < 60
            }
            d[l] += f
            e[l] = 0
        }
    }
}
