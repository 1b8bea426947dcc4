/// Writes numbers as text straight into a byte buffer, for `petal predict`'s output: integers digit by digit,
/// doubles with few decimals (5.1, 123.45) as scaled integers, and other doubles from 0.001 to 1e15 (probabilities)
/// by an exact shortest round-trip search in 64×64→128-bit integer arithmetic — the same text as Swift's
/// `description` (shortest digits that read back as the same double, the closest such when several are as short),
/// without building a String. Anything else (tiny or huge magnitudes, written with an exponent) falls back to
/// `description`. `BatchScorerTests` checks it against `CellText.number` on millions of values.
enum NumberBytes {
    private static let powers: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6]
    /// Below 2^50 a scaled value's rounding error stays under 1/4, so `rounded()` finds the right integer.
    private static let exactLimit = 1_125_899_906_842_624.0

    /// Appends `CellText.number(v)`: nothing for NaN, `inf`/`-inf`, integers without `.0`, else the shortest
    /// round-trip decimal.
    /// - Parameter fewDecimals: try the scaled-integer path first (data values); false for model outputs such as
    ///   probabilities, which almost never have few decimals (the text is the same either way).
    static func append(_ v: Double, to out: inout [UInt8], fewDecimals: Bool = true) {
        if v.isNaN { return }
        if v.isInfinite { out.append(contentsOf: (v < 0 ? "-inf" : "inf").utf8); return }
        let a = abs(v)
        if fewDecimals && a < 1e15 && (a >= 1e-3 || a == 0) {
            // Few decimals (the common case in data files: 5.1, 123.45): scaled by 10^d, exact below 2^50.
            for d in 0..<powers.count {
                let scaled = v * powers[d]
                guard abs(scaled) < exactLimit else { break }
                let k = scaled.rounded()
                if k / powers[d] == v { appendFixed(Int64(k), decimals: d, to: &out); return }
            }
        }
        if a < 1e15 && v == v.rounded() { append(Int64(v), to: &out); return }
        if a >= 1e-3 && a < 1e15, let (digits, decimals) = shortest(a) {
            if v < 0 { out.append(UInt8(ascii: "-")) }
            appendFixed(digits, decimals: decimals, to: &out)
            return
        }
        out.append(contentsOf: v.description.utf8)
    }

    /// The shortest decimal `digits / 10^decimals` that reads back as `a` (a finite, positive, non-integer double
    /// in [0.001, 1e15)), the closest to `a` among those as short (the even one on a tie, as `description`); nil if
    /// none is found (never, for that range).
    ///
    /// `a` = m·2^-s exactly (s from 3 to 62 in this range); the doubles' rounding interval around it is
    /// [(4m - 2)/2^(s+2), (4m + 2)/2^(s+2)] (4m - 1 at a power of two, where the gap below is half). Its ends have
    /// one more fraction digit than `a` itself, so no candidate shorter than `a`'s own expansion lies exactly on an
    /// end, and whether the ends belong to the interval does not matter. A decimal with k fraction digits fits when
    /// a multiple of 10^-k lies inside; fitting is monotone in k (append a zero), so k is found by bisection, up to
    /// the k where 17 significant digits (always enough) fit and 10^k·a stays below 10^19 (64-bit arithmetic).
    static func shortest(_ a: Double) -> (Int64, Int)? {
        let exponent = Int(a.exponent)            // a = significand · 2^exponent, significand in [1, 2)
        let s = 52 - exponent                     // a = m · 2^-s
        guard s >= 3, s <= 62 else { return nil }
        let m = a.significandBitPattern | (1 << 52)
        let shift = UInt64(s + 2)                 // 5...64
        let high = 4 * m + 2, low = 4 * m - (a.significandBitPattern == 0 ? 1 : 2), exact = 4 * m
        /// (x·t) >> shift, and whether bits were dropped / the dropped part against one half.
        func scaled(_ x: UInt64, _ t: UInt64) -> (value: UInt64, rest: UInt64, half: UInt64) {
            let (hi, lo) = x.multipliedFullWidth(by: t)
            if shift == 64 { return (hi, lo, 1 << 63) }
            return ((hi << (64 - shift)) | (lo >> shift), lo & ((1 << shift) - 1), 1 << (shift - 1))
        }
        /// The candidate with k fraction digits: the multiple of 10^-k in the interval nearest to `a`, if any.
        func candidate(_ k: Int) -> UInt64? {
            let t = tens[k]
            let lo = scaled(low, t), last = scaled(high, t).value
            let first = lo.value + (lo.rest == 0 ? 0 : 1)
            guard first <= last else { return nil }
            let x = scaled(exact, t)
            var nearest = x.value
            if x.rest > x.half || (x.rest == x.half && nearest & 1 == 1) { nearest += 1 }
            return min(max(nearest, first), last)
        }
        // 10^k·a must stay below 10^19; k = 16 - floor(log10 a) (17 significant digits, or 18 when the estimate
        // of the decimal exponent from the binary one is one short) always fits and is within that bound.
        let digitsBefore = Int((Double(exponent + 1) * 0.301029995663981195).rounded(.up))
        let decimalExponent = Int((Double(exponent) * 0.301029995663981195).rounded(.down))
        var upper = min(19, max(0, 19 - digitsBefore), max(0, 16 - decimalExponent)), lower = 0
        guard var best = candidate(upper) else { return nil }
        // Most doubles with many digits need 16 or 17: step down twice before bisecting.
        for _ in 0..<2 where lower < upper {
            if let c = candidate(upper - 1) { best = c; upper -= 1 } else { lower = upper }
        }
        while lower < upper {
            let mid = (lower + upper) / 2
            if let c = candidate(mid) { best = c; upper = mid } else { lower = mid + 1 }
        }
        guard best <= UInt64(Int64.max) else { return nil }
        return (Int64(best), upper)
    }

    /// 10^0 ... 10^19.
    private static let tens: [UInt64] = (0...19).map { k in (0..<k).reduce(1) { r, _ in r * 10 } }

    static func append(_ v: Int64, to out: inout [UInt8]) { appendFixed(v, decimals: 0, to: &out) }

    /// `k / 10^decimals` in positional notation, trailing zeros of the fraction dropped, built backwards in a
    /// local buffer and appended at once (`decimals` at most 19).
    static func appendFixed(_ k: Int64, decimals: Int, to out: inout [UInt8]) {
        var m = k.magnitude, d = decimals
        while d > 0 && m % 10 == 0 { m /= 10; d -= 1 }
        var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)   // sign, up to 20 digits, the point
        withUnsafeMutableBytes(of: &text) { b in
            var i = b.count
            if d > 0 {
                for _ in 0..<d { i -= 1; b[i] = UInt8(truncatingIfNeeded: m % 10) &+ 48; m /= 10 }
                i -= 1; b[i] = UInt8(ascii: ".")
            }
            repeat { i -= 1; b[i] = UInt8(truncatingIfNeeded: m % 10) &+ 48; m /= 10 } while m > 0
            if k < 0 { i -= 1; b[i] = UInt8(ascii: "-") }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[i...]))
        }
    }
}
