/// Counting and finding NaN (missing) and infinite values in arrays of doubles with loops the compiler turns into
/// vector code: a fit asks "any missing?" of every matrix, a column's null count of every float column it
/// fingerprints, and `petal predict` "any missing or infinite?" of every input column.
///
/// The tests are floating-point compares on four lanes at once (`x != x`, `x < ∞`), which the baseline x86-64 target
/// (SSE2) has: written per value, with `isNaN` or a bit-pattern test (64-bit integer compares, which SSE2 lacks), the
/// loops compiled to scalar code with a branch per value.
public enum NaNScan {
    /// How many of `values` are NaN.
    public static func count(_ values: UnsafeBufferPointer<Double>) -> Int {
        lanes(values, { $0 .!= $0 }, { $0 != $0 })
    }

    /// How many of `values` are NaN.
    public static func count(_ values: [Double]) -> Int { values.withUnsafeBufferPointer { count($0) } }

    /// How many of `values` are infinite (±inf).
    public static func countInfinite(_ values: UnsafeBufferPointer<Double>) -> Int {
        lanes(values, { ($0 .== .infinity) .| ($0 .== -.infinity) }, { $0.magnitude == .infinity })
    }

    /// How many of `values` are not finite (NaN or ±inf): NaN compares unordered, so it is neither below ∞ nor above -∞.
    public static func countNonFinite(_ values: UnsafeBufferPointer<Double>) -> Int {
        lanes(values, { .!(($0 .< .infinity) .& ($0 .> -.infinity)) }, { !($0.magnitude < .infinity) })
    }

    /// How many of `values` `hit` flags, four lanes at a time (`one` for the last few): a flagged lane of the
    /// comparison's mask is all ones (-1), so the lanes' sums are minus the counts.
    @inline(__always)
    private static func lanes(_ values: UnsafeBufferPointer<Double>, _ hit: (SIMD4<Double>) -> SIMDMask<SIMD4<Int64>>,
                              _ one: (Double) -> Bool) -> Int {
        guard let base = values.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        var sums = SIMD4<Int64>()
        var i = 0
        while values.count - i >= 4 {
            sums &+= unsafeBitCast(hit(raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<Double>.self)), to: SIMD4<Int64>.self)
            i &+= 4
        }
        var n = -Int(sums.wrappedSum())
        while i < values.count { n &+= one(base[i]) ? 1 : 0; i &+= 1 }
        return n
    }

    /// The index of the first value in `values` that is not finite.
    public static func firstNonFinite(_ values: [Double]) -> Int? { first(values, counting: countNonFinite) }

    /// True when one of `values` is NaN (looked for a block at a time, so a NaN near the start ends it early).
    public static func any(_ values: [Double]) -> Bool { first(values, counting: count) != nil }

    /// The index of the first NaN in `values`.
    public static func firstNaN(_ values: [Double]) -> Int? { first(values, counting: count) }

    /// The index of the first infinite value in `values`.
    public static func firstInfinite(_ values: [Double]) -> Int? { first(values, counting: countInfinite) }

    /// The first index of a value that `counting` counts: blocks are counted in order (a vector loop each), and
    /// the first block with a hit is searched value by value.
    @inline(__always)
    private static func first(_ values: [Double], counting: (UnsafeBufferPointer<Double>) -> Int) -> Int? {
        values.withUnsafeBufferPointer { all in
            let block = 4096
            var start = 0
            while start < all.count {
                let end = min(all.count, start + block)
                if counting(UnsafeBufferPointer(rebasing: all[start..<end])) > 0 {
                    for i in start..<end where counting(UnsafeBufferPointer(rebasing: all[i..<(i + 1)])) > 0 { return i }
                }
                start = end
            }
            return nil
        }
    }
}
