import PetalData

/// Writes numbers as text straight into a byte buffer, for `petal predict`'s output: integers digit by digit,
/// doubles with few decimals (5.1, 123.45) as scaled integers, and other doubles from 0.0001 to 1e15 (probabilities)
/// by an exact shortest round-trip computation in 64×64→128-bit integer arithmetic — the same text as Swift's
/// `description` (shortest digits that read back as the same double, the closest such when several are as short),
/// without building a String. Anything else (tiny or huge magnitudes, written with an exponent) falls back to
/// `description`. `BatchScorerTests` checks it against `CellText.number` on millions of values.
enum NumberBytes {
    private static let powers: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6]
    /// Below 2^50 a scaled value's rounding error stays under 1/4, so rounding finds the right integer.
    private static let exactLimit = 1_125_899_906_842_624.0
    /// 1.5 × 2^52: adding and subtracting it rounds a double under 2^51 in magnitude to a whole number (to nearest,
    /// ties to even) in two additions, where `rounded()` was a call into libm per value (a twentieth of echoing a
    /// file's inputs). Ties cannot matter: a value within 1/4 of a whole number is the only one used.
    private static let roundingShift = 6_755_399_441_055_744.0

    /// The most bytes `write` writes for a double (sign, "0.", 21 fraction digits; `description`'s longest is 24).
    static let doubleRoom = 32

    /// Appends `CellText.number(v)`: nothing for NaN, `inf`/`-inf`, integers without `.0`, else the shortest
    /// round-trip decimal.
    /// - Parameter fewDecimals: try the scaled-integer path first (data values); false for model outputs such as
    ///   probabilities, which almost never have few decimals (the text is the same either way).
    /// - Parameter decimals: the decimals the scaled path tries first (`typicalDecimals` of the column; -1: none).
    @inline(__always)
    static func append(_ v: Double, to out: inout TextBytes, fewDecimals: Bool = true, decimals: Int = -1) {
        var written = true
        out.write(most: doubleRoom) { p in
            guard let n = write(v, fewDecimals: fewDecimals, decimals: decimals, to: p) else { written = false; return 0 }
            return n
        }
        if !written { out.append(v.description) }
    }

    /// Writes `CellText.number(v)` at `p` (room for `doubleRoom` bytes) and returns its length; nil when the value
    /// is outside the exact paths' range (tiny or huge magnitudes), which `description` writes.
    @inline(__always)
    static func write(_ v: Double, fewDecimals: Bool, decimals: Int = -1, to p: UnsafeMutablePointer<UInt8>) -> Int? {
        if v.isNaN { return 0 }
        if v.isInfinite {
            if v < 0 { p[0] = 45; p[1] = 105; p[2] = 110; p[3] = 102; return 4 }   // -inf
            p[0] = 105; p[1] = 110; p[2] = 102; return 3                             // inf
        }
        let a = abs(v)
        if fewDecimals, let (k, d) = scaledDecimal(v, likely: decimals) { return writeFixed(k, decimals: d, to: p) }
        if a < 1e15 && Double(Int64(v)) == v { return writeFixed(Int64(v), decimals: 0, to: p) }   // a whole number
        if a >= 1e-4 && a < 1e15, let (digits, decimals) = shortest(a) {
            return writeFixed(v < 0 ? -digits : digits, decimals: decimals, to: p)
        }
        return nil
    }

    /// `v` as `k / 10^d` with at most six decimals (the common case in data files: 5.1, 123.45), found by scaling by
    /// 10^d — exact below 2^50 — or nil. The text `writeFixed` makes of it is the shortest round-trip text, as from
    /// `shortest`: the scaled path is only quicker for such values, and costs seven divisions for others.
    ///
    /// `likely` (0...6, else ignored) is tried first: a column's values mostly have the same number of decimals or
    /// fewer, and one division then answers where the search from 0 decimals made up to seven. An answer there is
    /// the search's answer with trailing zeros (which `writeFixed` drops): both are decimals of at most 15
    /// significant digits that read as `v`, and no two such decimals read as the same double (15 digits survive
    /// the round trip: DBL_DIG) — so it is taken only when its integer is below 10^15.
    @inline(__always)
    static func scaledDecimal(_ v: Double, likely: Int = -1) -> (Int64, Int)? {
        let a = abs(v)
        guard a < 1e15 && (a >= 1e-3 || a == 0) else { return nil }
        /// `v` · 10^d rounded when that is below `limit` (else nil), and whether it reads back as `v`.
        @inline(__always) func scaled(_ d: Int, below limit: Double) -> (k: Double, exact: Bool)? {
            let scaled = v * powers[d]
            guard abs(scaled) < limit else { return nil }
            let k = (scaled + roundingShift) - roundingShift
            return (k, k / powers[d] == v)
        }
        if likely >= 0 && likely < powers.count, let (k, exact) = scaled(likely, below: 1e15), exact { return (Int64(k), likely) }
        for d in 0..<powers.count {
            guard let (k, exact) = scaled(d, below: exactLimit) else { break }
            if exact { return (Int64(k), d) }
        }
        return nil
    }

    /// Whether the scaled path pays for `values`: true when most of the first 64 values that are finite have at most
    /// six decimals. Either way `write` gives the same text; a column of measurements skips the scaling, one of
    /// full-precision doubles (0.12961470224998342) the seven failed divisions per value.
    static func mostlyFewDecimals(_ values: [Double]) -> Bool { typicalDecimals(values) != nil }

    /// When `mostlyFewDecimals(values)`, the most decimals among the sampled values that have few (the hint for
    /// `scaledDecimal`'s first try; 0 when none was sampled); nil otherwise.
    static func typicalDecimals(_ values: [Double]) -> Int? {
        var tried = 0, few = 0, most = 0
        for v in values where v.isFinite {
            tried += 1
            if let (_, d) = scaledDecimal(v) { few += 1; most = max(most, d) }
            if tried == 64 { break }
        }
        return few * 2 >= tried ? most : nil
    }

    /// Appends `JSONText.number(v)` (`description`; `null` when not finite): through `append` where the two texts
    /// agree (finite and not a whole number, which `description` writes as `1.0`), else `JSONText` itself.
    static func appendJSON(_ v: Double, to out: inout TextBytes) {
        if v.isFinite && v != v.rounded() { append(v, to: &out) } else { out.append(JSONText.number(v)) }
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
            // Dividing by a constant is a multiply; by a variable, a 64-bit division of 35–90 cycles on older cores. j
            // is 1 or 2 for nearly every probability (16 or 15 digits).
            nearest = j == 1 ? x / 10 : j == 2 ? x / 100 : j == 3 ? x / 1000 : x / p
            let r = x - nearest * p
            if r > h || (r == h && (rest != 0 || nearest & 1 == 1)) { nearest += 1 }
        }
        let best = min(max(nearest, first), last)
        guard best <= UInt64(Int64.max) else { return nil }
        return (Int64(best), k - j)
    }

    // Literal tables, so that reading them needs no lazy initialisation (`swift_once`) on every number.
    /// 10^0 ... 10^19.
    private static let tens: [UInt64] = [
        1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
        1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
        1000000000000000000, 10000000000000000000]
    /// 5^0 ... 5^27 (5^27 < 2^64).
    private static let fives: [UInt64] = [
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125, 6103515625,
        30517578125, 152587890625, 762939453125, 3814697265625, 19073486328125, 95367431640625, 476837158203125,
        2384185791015625, 11920928955078125, 59604644775390625, 298023223876953125, 1490116119384765625,
        7450580596923828125]

    static func append(_ v: Int64, to out: inout TextBytes) {
        out.write(most: 20) { p in writeFixed(v, decimals: 0, to: p) }
    }

    /// Writes `k / 10^decimals` at `p` in positional notation, trailing zeros of the fraction dropped (`decimals` at
    /// most 21), and returns its length (at most 24: sign, "0.", 21 digits). The digits are written from the
    /// right in 8-digit groups, two digits at a time (the groups do not wait on each other); a fraction shorter
    /// than the digits moves one place right for the point.
    @inline(__always)
    static func writeFixed(_ k: Int64, decimals: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var m = k.magnitude, d = min(decimals, 21)
        while d > 0 && m % 10 == 0 { m /= 10; d -= 1 }
        var at = 0
        if k < 0 { p[0] = 45; at = 1 }                            // -
        let n = digitCount(m)
        if d == 0 {
            writeDigits(m, count: n, to: p + at)
            return at + n
        }
        if n <= d {                                              // 0.000ddd
            p[at] = 48; p[at + 1] = 46
            let zeros = d - n
            (p + at + 2).update(repeating: 48, count: zeros)
            writeDigits(m, count: n, to: p + at + 2 + zeros)
            return at + 2 + d
        }
        writeDigits(m, count: n, to: p + at)                     // iii.fff
        let point = p + at + n - d
        var i = d
        while i > 0 { point[i] = point[i - 1]; i -= 1 }
        point[0] = 46
        return at + n + 1
    }

    /// How many decimal digits `m` has (1 for 0).
    @inline(__always)
    static func digitCount(_ m: UInt64) -> Int {
        let t = ((64 - m.leadingZeroBitCount) * 1233) >> 12     // ⌊log10 2^bits⌋, at most 19
        return t + (m >= tens[t] ? 1 : 0) + (m == 0 ? 1 : 0)
    }

    /// Writes the `count` digits of `m` (`count` = `digitCount(m)`) at `p`.
    @inline(__always)
    static func writeDigits(_ m: UInt64, count: Int, to p: UnsafeMutablePointer<UInt8>) {
        if count <= 8 { writeShort(UInt32(truncatingIfNeeded: m), count: count, to: p); return }
        let high = m / 100_000_000, low = UInt32(truncatingIfNeeded: m &- high &* 100_000_000)
        writeEight(low, to: p + count - 8)
        if count <= 16 { writeShort(UInt32(truncatingIfNeeded: high), count: count - 8, to: p); return }
        let top = high / 100_000_000
        writeEight(UInt32(truncatingIfNeeded: high &- top &* 100_000_000), to: p + count - 16)
        writeShort(UInt32(truncatingIfNeeded: top), count: count - 16, to: p)
    }

    /// The 8 digits of `x` (below 10^8, zero-padded) at `p`.
    @inline(__always)
    static func writeEight(_ x: UInt32, to p: UnsafeMutablePointer<UInt8>) {
        let high = x / 10_000, low = x &- high &* 10_000
        let a = high / 100, c = low / 100
        writePair(a, to: p); writePair(high &- a &* 100, to: p + 2)
        writePair(c, to: p + 4); writePair(low &- c &* 100, to: p + 6)
    }

    /// The `count` digits of `x` (at most 8, `count` = its digit count) at `p`, from the right.
    @inline(__always)
    static func writeShort(_ x: UInt32, count: Int, to p: UnsafeMutablePointer<UInt8>) {
        var v = x, i = count
        while i >= 2 {
            let q = v / 100
            i -= 2
            writePair(v &- q &* 100, to: p + i)
            v = q
        }
        if i == 1 { p[0] = 48 &+ UInt8(truncatingIfNeeded: v) }
    }

    /// The two digits of `x` (below 100) at `p`; x/10 as (x·205) >> 11, exact below 1029.
    @inline(__always)
    static func writePair(_ x: UInt32, to p: UnsafeMutablePointer<UInt8>) {
        let t = (x &* 205) >> 11
        p[0] = 48 &+ UInt8(truncatingIfNeeded: t)
        p[1] = 48 &+ UInt8(truncatingIfNeeded: x &- t &* 10)
    }
}
