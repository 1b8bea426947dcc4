import Foundation

/// Gradients or hessians as fixed-point integers (value × 2^shift, rounded to the nearest), so that every sum the
/// histogram grower takes — a bin over its rows, a prefix over bins, a node's totals, a sibling as parent minus
/// child — is exact. Integer addition does not depend on order, so which split wins (and by how much) does not
/// depend on the order rows or bins are added in, on how the rows are shared among cores, or on whether a
/// histogram was built or subtracted: two candidate splits that part a node's rows alike have the same sums to the
/// last bit, hence the same gain, and the fixed scan order breaks the tie (lower feature, missing values right
/// before left, lower bin; scikit-learn's `splitting.pyx` also keeps the first of equal gains). With floating-point
/// sums, equal-in-exact-arithmetic gains differed in their last bits, and any change of order flipped such ties.
///
/// The shift is chosen per tree from the largest magnitude and the row count so that no sum of the tree's rows can
/// overflow (the sum of |q| stays below 2^63): each value is kept to within 2^-(shift+1), about 2^-63 × rows × its
/// largest magnitude — finer than the float32 gradients scikit-learn sums (2^-24 relative).
struct HistFixedPoint: Sendable {
    /// Values are multiplied by 2^shift.
    let shift: Int
    /// 2^-shift: a sum back in the values' units.
    let unit: Double
    /// 2^shift.
    let scale: Double

    /// The scale for `rows` values of largest magnitude `largest` (finite, ≥ 0).
    init(largest: Double, rows: Int) {
        guard largest > 0, largest.isFinite else { shift = 0; unit = 1; scale = 1; return }
        // largest < 2^e and rows < 2^k, so rows × (largest × 2^shift + ½) < 2^62 + rows < 2^63.
        let e = Int(largest.exponent) + 1, k = Int.bitWidth - max(rows, 1).leadingZeroBitCount
        shift = min(max(62 - k - e, -1_000), 1_000)
        unit = Double(sign: .plus, exponent: -shift, significand: 1)
        scale = Double(sign: .plus, exponent: shift, significand: 1)
    }

    /// `values` (all finite) as fixed-point integers into `out`, in two halves at once when there are many; nil when
    /// a value is not finite (its scale could not be chosen).
    static func quantize(_ values: [Double], into out: UnsafeMutablePointer<Int64>) -> HistFixedPoint? {
        var largest = 0.0
        for v in values { largest = max(largest, abs(v)) }   // NaN compares false: caught below
        guard largest.isFinite, !values.contains(where: { $0.isNaN }) else { return nil }
        let point = HistFixedPoint(largest: largest, rows: values.count)
        let sink = FixedSink(out: out)
        values.withUnsafeBufferPointer { vb in
            guard let base = vb.baseAddress else { return }
            let source = FixedSource(values: base), n = vb.count
            let run: @Sendable (Range<Int>) -> Void = { range in
                for i in range { sink.out[i] = point.fixed(source.values[i]) }
            }
            if n >= HistTreeGrower.parallelRows {
                DispatchQueue.concurrentPerform(iterations: 2) { run($0 == 0 ? 0..<n / 2 : n / 2..<n) }
            } else { run(0..<n) }
        }
        return point
    }

    /// `v` (of magnitude at most the `largest` this scale was made for) in fixed point.
    @inline(__always) func fixed(_ v: Double) -> Int64 { Int64((v * scale).rounded(.toNearestOrEven)) }

    /// A fixed-point sum in the values' units.
    @inline(__always) func value(_ q: Int64) -> Double { Double(q) * unit }
}

/// The quantized values as seen by the two workers (each writes its own half).
private struct FixedSink: @unchecked Sendable { let out: UnsafeMutablePointer<Int64> }
private struct FixedSource: @unchecked Sendable { let values: UnsafePointer<Double> }
