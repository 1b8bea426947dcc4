/// Counting and finding NaN (missing) and infinite values in arrays of doubles with loops the compiler turns into
/// vector code: a fit asks "any missing?" of every matrix, a column's null count of every float column it
/// fingerprints, and `petal predict` "any missing or infinite?" of every input column.
public enum NaNScan {
    /// How many of `values` are NaN.
    public static func count(_ values: UnsafeBufferPointer<Double>) -> Int {
        var n = 0
        for x in values { n &+= x.isNaN ? 1 : 0 }
        return n
    }

    /// How many of `values` are NaN.
    public static func count(_ values: [Double]) -> Int { values.withUnsafeBufferPointer { count($0) } }

    /// How many of `values` are infinite (±inf).
    public static func countInfinite(_ values: UnsafeBufferPointer<Double>) -> Int {
        var n = 0
        for x in values { n &+= x.magnitude == .infinity ? 1 : 0 }
        return n
    }

    /// How many of `values` are not finite (NaN or ±inf).
    public static func countNonFinite(_ values: UnsafeBufferPointer<Double>) -> Int {
        var n = 0
        for x in values { n &+= x.bitPattern & 0x7FF0_0000_0000_0000 == 0x7FF0_0000_0000_0000 ? 1 : 0 }
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
