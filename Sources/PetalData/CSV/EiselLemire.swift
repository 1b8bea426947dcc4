/// Correctly rounded decimal → binary64 conversion for 19-digit mantissas (the Eisel–Lemire algorithm, as
/// described by Daniel Lemire, "Number Parsing at a Gigabyte per Second", 2021). Inputs it cannot decide
/// return nil and are handed to `strtod`.
enum EiselLemire {
    static let minExponent = -64
    static let maxExponent = 64

    /// 128-bit truncated mantissas of 10^q for q in minExponent...maxExponent: (high, low).
    nonisolated(unsafe) static let powers: UnsafePointer<(UInt64, UInt64)> = {
        let values = (minExponent...maxExponent).map(mantissa128)
        let p = UnsafeMutablePointer<(UInt64, UInt64)>.allocate(capacity: values.count)
        p.initialize(from: values, count: values.count)
        return UnsafePointer(p)
    }()

    /// `mantissa × 10^exponent10` (`powers` is `EiselLemire.powers`, fetched once by the caller), or nil when the algorithm cannot decide (or the exponent is out of the table).
    @inline(__always)
    static func convert(_ mantissa: UInt64, _ exponent10: Int, negative: Bool, powers: UnsafePointer<(UInt64, UInt64)>) -> Double? {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard exponent10 >= minExponent && exponent10 <= maxExponent else { return nil }
        let (powHi, powLo) = powers[exponent10 - minExponent]
        let clz = mantissa.leadingZeroBitCount
        let man = mantissa << UInt64(clz)
        var retExp2 = UInt64(bitPattern: Int64((217_706 * exponent10) >> 16 + 64 + 1023)) &- UInt64(clz)
        var (xHi, xLo) = man.multipliedFullWidth(by: powHi)
        if xHi & 0x1FF == 0x1FF && xLo &+ man < man {
            let (yHi, yLo) = man.multipliedFullWidth(by: powLo)
            var mergedHi = xHi
            let mergedLo = xLo &+ yHi
            if mergedLo < xLo { mergedHi &+= 1 }
            if mergedHi & 0x1FF == 0x1FF && mergedLo &+ 1 == 0 && yLo &+ man < man { return nil }
            xHi = mergedHi
            xLo = mergedLo
        }
        let msb = xHi >> 63
        var retMantissa = xHi >> (msb + 9)
        retExp2 &-= 1 ^ msb
        if xLo == 0 && xHi & 0x1FF == 0 && retMantissa & 3 == 1 { return nil }
        retMantissa &+= retMantissa & 1
        retMantissa >>= 1
        if retMantissa >> 53 > 0 {
            retMantissa >>= 1
            retExp2 &+= 1
        }
        if retExp2 &- 1 >= 0x7FF - 1 { return nil }
        var bits = retExp2 << 52 | (retMantissa & 0x000F_FFFF_FFFF_FFFF)
        if negative { bits |= 0x8000_0000_0000_0000 }
        return Double(bitPattern: bits)
    }

    /// The top 128 bits of 10^q's binary expansion, rounded down (computed exactly with a small big integer).
    static func mantissa128(_ q: Int) -> (UInt64, UInt64) {
        // 5^|q| exactly, little-endian 32-bit limbs.
        var five: [UInt32] = [1]
        for _ in 0..<abs(q) { BigInt32.multiply(&five, by: 5) }
        if q >= 0 {
            return BigInt32.top128(five)
        }
        // floor(2^(L+127) / 5^n), which lies in [2^127, 2^128).
        let bits = BigInt32.bitLength(five) + 127
        var x = [UInt32](repeating: 0, count: bits / 32 + 1)
        x[bits / 32] = 1 << UInt32(bits % 32)
        for _ in 0..<(-q) { BigInt32.divide(&x, by: 5) }
        return BigInt32.top128(x)
    }
}

/// Just enough unsigned big-integer arithmetic to build the power table.
enum BigInt32 {
    static func multiply(_ a: inout [UInt32], by m: UInt32) {
        var carry: UInt64 = 0
        for i in a.indices {
            let p = UInt64(a[i]) * UInt64(m) + carry
            a[i] = UInt32(truncatingIfNeeded: p)
            carry = p >> 32
        }
        if carry > 0 { a.append(UInt32(carry)) }
    }

    static func divide(_ a: inout [UInt32], by d: UInt32) {
        var rem: UInt64 = 0
        for i in a.indices.reversed() {
            let cur = (rem << 32) | UInt64(a[i])
            a[i] = UInt32(cur / UInt64(d))
            rem = cur % UInt64(d)
        }
        while a.count > 1 && a.last == 0 { a.removeLast() }
    }

    static func bitLength(_ a: [UInt32]) -> Int {
        guard let top = a.lastIndex(where: { $0 != 0 }) else { return 0 }
        return top * 32 + (32 - a[top].leadingZeroBitCount)
    }

    /// The 128 most significant bits (shifted so the top bit is set), rounded down.
    static func top128(_ a: [UInt32]) -> (UInt64, UInt64) {
        let length = bitLength(a)
        func bit(_ i: Int) -> UInt64 {  // bit i counting from the least significant
            guard i >= 0, i / 32 < a.count else { return 0 }
            return UInt64((a[i / 32] >> UInt32(i % 32)) & 1)
        }
        var hi: UInt64 = 0, lo: UInt64 = 0
        for k in 0..<128 {
            let b = bit(length - 1 - k)
            if k < 64 { hi = hi << 1 | b } else { lo = lo << 1 | b }
        }
        return (hi, lo)
    }
}
