/// The dense vector kernels the estimators' inner loops share (BLAS level 1, in the manner of `ddot`/`daxpy`):
/// explicit SIMD with independent accumulators, because the compiler will not reorder a floating-point sum to
/// vectorize it. Callers pass raw pointers into buffers they own; `n` is the element count.
enum VectorKernels {
    /// Σ a[i]·b[i].
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let stride = MemoryLayout<SIMD4<Double>>.stride
        var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            let off = i * MemoryLayout<Double>.stride
            s0 += ra.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self) * rb.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
            s1 += ra.loadUnaligned(fromByteOffset: off + stride, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: off + stride, as: SIMD4<Double>.self)
            i += 8
        }
        var s = (s0 + s1).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Σ (a[i] − b[i])², the squared euclidean distance.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var s0 = SIMD4<Double>()
        var i = 0
        while i + 4 <= n {
            let off = i * MemoryLayout<Double>.stride
            let t = ra.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self) - rb.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
            s0 += t * t
            i += 4
        }
        var s = s0.sum()
        while i < n { let t = a[i] - b[i]; s += t * t; i += 1 }
        return s
    }

    /// Σ a[i]².
    @inline(__always)
    static func sumOfSquares(_ a: UnsafePointer<Double>, _ n: Int) -> Double { dot(a, a, n) }

    /// y[i] += alpha·x[i].
    @inline(__always)
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
        let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
        let a = SIMD4<Double>(repeating: alpha)
        var i = 0
        while i + 4 <= n {
            let off = i * MemoryLayout<Double>.stride
            let v = ry.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self) + a * rx.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
            ry.storeBytes(of: v, toByteOffset: off, as: SIMD4<Double>.self)
            i += 4
        }
        while i < n { y[i] += alpha * x[i]; i += 1 }
    }
}
