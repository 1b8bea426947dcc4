import PetalData

/// Writes numbers as text straight into a byte buffer, for `petal predict`'s output: integers digit by digit,
/// doubles with few decimals (5.1, 123.45) as scaled integers, and other doubles from 0.0001 to 1e15 (probabilities)
/// by an exact shortest round-trip computation in 64×64→128-bit integer arithmetic — the same text as Swift's
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
        if a >= 1e-4 && a < 1e15, let (digits, decimals) = shortest(a) {
            if v < 0 { out.append(UInt8(ascii: "-")) }
            appendFixed(digits, decimals: decimals, to: &out)
            return
        }
        out.append(contentsOf: v.description.utf8)
    }

    /// Appends `JSONText.number(v)` (`description`; `null` when not finite): through `append` where the two texts
    /// agree (finite and not a whole number, which `description` writes as `1.0`), else `JSONText` itself.
    static func appendJSON(_ v: Double, to out: inout [UInt8]) {
        if v.isFinite && v != v.rounded() { append(v, to: &out) } else { out.append(contentsOf: JSONText.number(v).utf8) }
    }

    /// The shortest decimal `digits / 10^decimals` that reads back as `a` (a finite, positive, non-integer double
    /// in [0.0001, 1e15)), the closest to `a` among those as short (the even one on a tie, as `description`); nil if
    /// none is found (never, for that range).
    ///
    /// `a` = m·2^-s exactly; the doubles' rounding interval around it is [(4m - 2)/2^(s+2), (4m + 2)/2^(s+2)]
    /// (4m - 1 at a power of two, where the gap below is half). Its ends have one more fraction digit than `a`
    /// itself, so no candidate shorter than `a`'s own expansion lies exactly on an end, and whether the ends belong
    /// to the interval does not matter. The interval and `a` are scaled once by 10^k, k = 16 - ⌊log10 a⌋ fraction
    /// digits (17 significant digits, always enough; below 10^19), as 5^k·x / 2^(s+2-k) in 64×64→128-bit integer
    /// arithmetic: `first`...`last` are the k-digit decimals inside. A decimal with k - j fraction digits fits when
    /// a multiple of 10^j lies in `first`...`last`; ⌈first/10^j⌉ and ⌊last/10^j⌋ are reached by dividing by 10 j
    /// times, and fitting is monotone in j, so digits are dropped while one more still fits. The answer is then
    /// 10^k·a / 10^j rounded to nearest (half to even, from the exact remainders), kept inside the interval.
    static func shortest(_ a: Double) -> (Int64, Int)? {
        let bits = a.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        guard biased > 0, biased < 0x7FF else { return nil }
        let fraction = bits & ((1 << 52) - 1)
        let exponent = biased - 1023                          // a = m · 2^(exponent - 52)
        let m = fraction | (1 << 52)
        let decimalExponent = (exponent * 78_913) >> 18       // ⌊exponent · log10 2⌋ (exact for |exponent| < 1650)
        let k = max(0, 16 - decimalExponent)                  // 17 or 18 significant digits
        let shift = 54 - exponent - k                         // 10^k·x / 2^(s+2) = 5^k·x / 2^shift
        guard k < fives.count, shift >= 1, shift <= 64 else { return nil }
        let t = fives[k], sh = UInt64(shift)
        let (lh, ll) = (4 * m - (fraction == 0 ? 1 : 2)).multipliedFullWidth(by: t)
        let (hh, hl) = (4 * m + 2).multipliedFullWidth(by: t)
        let (xh, xl) = (4 * m).multipliedFullWidth(by: t)
        guard lh >> (sh & 63) == 0 || sh == 64, hh >> (sh & 63) == 0 || sh == 64 else { return nil }
        // (x·5^k) >> shift, and for `a` the dropped bits against one half.
        var first: UInt64, last: UInt64, x: UInt64, rest: UInt64, half: UInt64, lowRest: UInt64
        if sh == 64 {
            first = lh; lowRest = ll; last = hh; x = xh; rest = xl; half = 1 << 63
        } else {
            let mask: UInt64 = (1 << sh) - 1
            first = (lh << (64 - sh)) | (ll >> sh); lowRest = ll & mask
            last = (hh << (64 - sh)) | (hl >> sh)
            x = (xh << (64 - sh)) | (xl >> sh); rest = xl & mask; half = 1 << (sh - 1)
        }
        if lowRest != 0 { first += 1 }
        guard first <= last else { return nil }
        var j = 0
        while j < k {
            let f = first / 10 + (first % 10 == 0 ? 0 : 1), l = last / 10
            guard f <= l else { break }
            first = f; last = l; j += 1
        }
        var nearest: UInt64
        if j == 0 {
            nearest = x
            if rest > half || (rest == half && nearest & 1 == 1) { nearest += 1 }
        } else {
            // x/10^j: the remainder against 10^j/2, with the bits below x breaking an exact half upwards.
            let p = tens[j], h = p / 2
            nearest = x / p
            let r = x - nearest * p
            if r > h || (r == h && (rest != 0 || nearest & 1 == 1)) { nearest += 1 }
        }
        let best = min(max(nearest, first), last)
        guard best <= UInt64(Int64.max) else { return nil }
        return (Int64(best), k - j)
    }

    /// 10^0 ... 10^19.
    private static let tens: [UInt64] = (0...19).map { k in (0..<k).reduce(1) { r, _ in r * 10 } }
    /// 5^0 ... 5^27 (5^27 < 2^64).
    private static let fives: [UInt64] = (0...27).map { k in (0..<k).reduce(1) { r, _ in r * 5 } }

    static func append(_ v: Int64, to out: inout [UInt8]) { appendFixed(v, decimals: 0, to: &out) }

    /// `k / 10^decimals` in positional notation, trailing zeros of the fraction dropped (`decimals` at most 21).
    /// The magnitude's digits are written zero-padded to 24 as three 8-digit groups, two digits at a time (the
    /// groups do not wait on each other); the integer digits then move one place left for the point, and the
    /// sign goes before them.
    static func appendFixed(_ k: Int64, decimals: Int, to out: inout [UInt8]) {
        var m = k.magnitude, d = min(decimals, 21)
        while d > 0 && m % 10 == 0 { m /= 10; d -= 1 }
        var text: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)   // sign, point, 24 digits at 8..<32
        digitPairs.withUnsafeBufferPointer { pairs in
            withUnsafeMutableBytes(of: &text) { g in
                /// The 8 digits of `x` (below 10^8) at `at`.
                @inline(__always) func eight(_ x: UInt32, at: Int) {
                    let high = x / 10_000, low = x - high * 10_000
                    let a = Int(high / 100), b = Int(high % 100), c = Int(low / 100), e = Int(low % 100)
                    g[at] = pairs[2 * a]; g[at + 1] = pairs[2 * a + 1]; g[at + 2] = pairs[2 * b]; g[at + 3] = pairs[2 * b + 1]
                    g[at + 4] = pairs[2 * c]; g[at + 5] = pairs[2 * c + 1]; g[at + 6] = pairs[2 * e]; g[at + 7] = pairs[2 * e + 1]
                }
                let upper = m / 100_000_000
                eight(UInt32(truncatingIfNeeded: m - upper * 100_000_000), at: 24)
                let top = upper / 100_000_000
                eight(UInt32(truncatingIfNeeded: upper - top * 100_000_000), at: 16)
                eight(UInt32(truncatingIfNeeded: top), at: 8)   // below 10^4 (m < 2^64)
                let point = 32 - d                               // the fraction is g[point..<32]
                var first = 8                                    // the first integer digit (one at least)
                while first < point - 1 && g[first] == UInt8(ascii: "0") { first += 1 }
                if d > 0 {
                    for i in first..<point { g[i - 1] = g[i] }
                    first -= 1
                    g[point - 1] = UInt8(ascii: ".")
                }
                if k < 0 { first -= 1; g[first] = UInt8(ascii: "-") }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: g[first..<32]))
            }
        }
    }

    /// "00", "01", ... "99" as bytes.
    private static let digitPairs: [UInt8] = (0..<100).flatMap { (n: Int) -> [UInt8] in [UInt8(48 + n / 10), UInt8(48 + n % 10)] }
}
