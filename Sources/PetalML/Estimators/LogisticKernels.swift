import Foundation

/// Logistic regression's inner loops as blocked matrix products on raw buffers: a block of rows' class scores
/// (X_block · Wᵀ + b, register-blocked two rows by two models so each loaded vector feeds two products), the softmax
/// that turns scores into probabilities (the one both fitting and prediction use), and the gradient
/// Gᵀ += X_blockᵀ · R (four models at a time, so each row's values are loaded once per four models).
/// θ holds the m free models row by row, `width` = d + 1 values each (coefficients, then the intercept).
enum LogisticKernels {
    /// Rows scored together: small enough that a block's rows, scores and residuals stay in cache.
    static let blockRows = 32

    /// z[r·k + offset + a] = θ_a · x_r + θ_a[d], for rows r < `rows` of `x` (row-major, d columns) and models a < m.
    static func scores(_ x: UnsafePointer<Double>, rows: Int, d: Int, _ theta: UnsafePointer<Double>, m: Int,
                       into z: UnsafeMutablePointer<Double>, k: Int, offset: Int) {
        let width = d + 1
        let raw = MemoryLayout<Double>.stride
        var r = 0
        while r < rows {
            let pairRows = r + 1 < rows
            let x0 = UnsafeRawPointer(x + r * d), x1 = pairRows ? x0 + d * raw : x0
            var a = 0
            while a < m {
                let pairModels = a + 1 < m
                let w0p = theta + a * width, w1p = pairModels ? w0p + width : w0p
                let w0 = UnsafeRawPointer(w0p), w1 = UnsafeRawPointer(w1p)
                var s00 = SIMD4<Double>(), s01 = SIMD4<Double>(), s10 = SIMD4<Double>(), s11 = SIMD4<Double>()
                var j = 0
                while j + 4 <= d {
                    let off = j * raw
                    let xa = x0.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                    let xb = x1.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                    let wa = w0.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                    let wb = w1.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                    s00 += xa * wa; s01 += xa * wb; s10 += xb * wa; s11 += xb * wb
                    j += 4
                }
                var t00 = s00.sum(), t01 = s01.sum(), t10 = s10.sum(), t11 = s11.sum()
                let xr0 = x + r * d, xr1 = pairRows ? xr0 + d : xr0
                while j < d {
                    t00 += xr0[j] * w0p[j]; t01 += xr0[j] * w1p[j]
                    t10 += xr1[j] * w0p[j]; t11 += xr1[j] * w1p[j]
                    j += 1
                }
                z[r * k + offset + a] = t00 + w0p[d]
                if pairModels { z[r * k + offset + a + 1] = t01 + w1p[d] }
                if pairRows {
                    z[(r + 1) * k + offset + a] = t10 + w0p[d]
                    if pairModels { z[(r + 1) * k + offset + a + 1] = t11 + w1p[d] }
                }
                a += 2
            }
            r += 2
        }
    }

    /// One row's k class scores turned into probabilities in place: a softmax shifted by the largest score so no
    /// exponential overflows. Binary problems pass [0, score], for which this is the sigmoid.
    @inline(__always)
    static func softmax(_ z: UnsafeMutablePointer<Double>, k: Int) {
        var top = -Double.infinity
        for c in 0..<k { top = max(top, z[c]) }
        var sum = 0.0
        for c in 0..<k { z[c] = exp(z[c] - top); sum += z[c] }
        for c in 0..<k { z[c] /= sum }
    }

    /// g[a·width + j] += Σ_r res[r·m + a] · x[r, j] (and the intercepts += Σ_r res[r·m + a]), for rows r < `rows`.
    static func addGradient(_ x: UnsafePointer<Double>, rows: Int, d: Int, _ res: UnsafePointer<Double>, m: Int,
                            into g: UnsafeMutablePointer<Double>) {
        let width = d + 1
        let raw = MemoryLayout<Double>.stride
        let vectorEnd = d - d % 4
        var a = 0
        while a < m {
            let n = min(4, m - a)   // models in this group; absent ones repeat model a's residuals and are not stored
            let c1 = n > 1 ? 1 : 0, c2 = n > 2 ? 2 : 0, c3 = n > 3 ? 3 : 0
            var j = 0
            while j < vectorEnd {
                let off = j * raw
                var g0 = SIMD4<Double>(), g1 = SIMD4<Double>(), g2 = SIMD4<Double>(), g3 = SIMD4<Double>()
                for r in 0..<rows {
                    let v = UnsafeRawPointer(x + r * d).loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                    let e = res + r * m + a
                    g0 += e[0] * v; g1 += e[c1] * v; g2 += e[c2] * v; g3 += e[c3] * v
                }
                add(g0, to: g + a * width + j)
                if n > 1 { add(g1, to: g + (a + 1) * width + j) }
                if n > 2 { add(g2, to: g + (a + 2) * width + j) }
                if n > 3 { add(g3, to: g + (a + 3) * width + j) }
                j += 4
            }
            for model in a..<(a + n) {
                let gm = g + model * width
                for j in vectorEnd..<d {
                    var s = 0.0
                    for r in 0..<rows { s += res[r * m + model] * x[r * d + j] }
                    gm[j] += s
                }
                var s = 0.0
                for r in 0..<rows { s += res[r * m + model] }
                gm[d] += s
            }
            a += 4
        }
    }

    /// p[0..<4] += s.
    @inline(__always)
    private static func add(_ s: SIMD4<Double>, to p: UnsafeMutablePointer<Double>) {
        let at = UnsafeMutableRawPointer(p)
        at.storeBytes(of: at.loadUnaligned(as: SIMD4<Double>.self) + s, as: SIMD4<Double>.self)
    }
}
