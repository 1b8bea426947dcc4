/// Counting and finding NaN (missing) in arrays of doubles with loops the compiler turns into vector code: a
/// fit asks "any missing?" of every matrix, and a column's null count of every float column it fingerprints.
public enum NaNScan {
    /// How many of `values` are NaN.
    public static func count(_ values: UnsafeBufferPointer<Double>) -> Int {
        var n = 0
        for x in values { n &+= x.isNaN ? 1 : 0 }
        return n
    }

    /// How many of `values` are NaN.
    public static func count(_ values: [Double]) -> Int { values.withUnsafeBufferPointer { count($0) } }

    /// True when one of `values` is NaN (looked for a block at a time, so a NaN near the start ends it early).
    public static func any(_ values: [Double]) -> Bool {
        values.withUnsafeBufferPointer { all in
            let block = 4096
            var start = 0
            while start < all.count {
                let end = min(all.count, start + block)
                if count(UnsafeBufferPointer(rebasing: all[start..<end])) > 0 { return true }
                start = end
            }
            return false
        }
    }
}
