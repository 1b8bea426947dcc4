/// Writes numbers as text straight into a byte buffer, for `petal predict`'s output: integers digit by digit,
/// and doubles with few decimals (the common case in data files: 5.1, 123.45) as scaled integers — the same
/// text as Swift's shortest round-trip `description`, without building a String. Anything else falls back to
/// `description`. `BatchScorerTests` checks it against `CellText.number` on a million values.
enum NumberBytes {
    private static let powers: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6]
    /// Below 2^50 a scaled value's rounding error stays under 1/4, so `rounded()` finds the right integer.
    private static let exactLimit = 1_125_899_906_842_624.0

    /// Appends `CellText.number(v)`: nothing for NaN, `inf`/`-inf`, integers without `.0`, else the shortest
    /// round-trip decimal.
    static func append(_ v: Double, to out: inout [UInt8]) {
        if v.isNaN { return }
        if v.isInfinite { out.append(contentsOf: (v < 0 ? "-inf" : "inf").utf8); return }
        let a = abs(v)
        if a < 1e15 && (a >= 1e-3 || a == 0) {
            for d in 0..<powers.count {
                let scaled = v * powers[d]
                guard abs(scaled) < exactLimit else { break }
                let k = scaled.rounded()
                if k / powers[d] == v { appendFixed(Int64(k), decimals: d, to: &out); return }
            }
        }
        if v == v.rounded(), a < 1e15 { append(Int64(v), to: &out); return }
        out.append(contentsOf: v.description.utf8)
    }

    static func append(_ v: Int64, to out: inout [UInt8]) { appendFixed(v, decimals: 0, to: &out) }

    /// `k / 10^decimals` in positional notation, trailing zeros of the fraction dropped.
    static func appendFixed(_ k: Int64, decimals: Int, to out: inout [UInt8]) {
        if k < 0 { out.append(UInt8(ascii: "-")) }
        var m = k.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat { buffer[count] = UInt8(truncatingIfNeeded: m % 10) + 48; m /= 10; count += 1 } while m > 0
            while count <= decimals { buffer[count] = 48; count += 1 }
            var low = 0
            if decimals > 0 { while low < decimals && buffer[low] == 48 { low += 1 } }
            for i in stride(from: count - 1, through: decimals, by: -1) { out.append(buffer[i]) }
            if low < decimals {
                out.append(UInt8(ascii: "."))
                for i in stride(from: decimals - 1, through: low, by: -1) { out.append(buffer[i]) }
            }
        }
    }
}
