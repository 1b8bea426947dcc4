/// Recognises UTF-16 and UTF-32 text (with or without a byte-order mark) and converts it to UTF-8, so such a CSV
/// opens instead of being called a binary file.
public enum TextEncoding: String, Sendable {
    case utf16LE = "UTF-16LE", utf16BE = "UTF-16BE", utf32LE = "UTF-32LE", utf32BE = "UTF-32BE"

    /// The encoding of `bytes` and the length of its byte-order mark, or nil for UTF-8 (or anything else).
    /// Without a BOM, text is taken for UTF-16/32 when the zero bytes of its first 4 KiB fall where ASCII
    /// characters in that encoding put them.
    public static func detect(_ bytes: UnsafeBufferPointer<UInt8>) -> (encoding: TextEncoding, bom: Int)? {
        let n = bytes.count
        if n >= 4 && bytes[0] == 0xFF && bytes[1] == 0xFE && bytes[2] == 0 && bytes[3] == 0 { return (.utf32LE, 4) }
        if n >= 4 && bytes[0] == 0 && bytes[1] == 0 && bytes[2] == 0xFE && bytes[3] == 0xFF { return (.utf32BE, 4) }
        if n >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE { return (.utf16LE, 2) }
        if n >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF { return (.utf16BE, 2) }
        // No BOM: look at the pattern of zero bytes (ASCII in UTF-16LE is `x 0`, in UTF-32LE `x 0 0 0`).
        let probe = min(n, 4096) & ~3
        guard probe >= 4 else { return nil }
        var zeros = [0, 0, 0, 0]
        for i in 0..<probe where bytes[i] == 0 { zeros[i & 3] += 1 }
        let units = probe / 4
        // ASCII characters put zeros in their high bytes; other characters (é, 日本) may not, so "mostly" is lenient.
        func mostly(_ k: Int) -> Bool { zeros[k] * 10 >= units * 6 }
        func rarely(_ k: Int) -> Bool { zeros[k] * 20 <= units }
        if rarely(0) && mostly(1) && mostly(2) && mostly(3) { return (.utf32LE, 0) }
        if mostly(0) && mostly(1) && mostly(2) && rarely(3) { return (.utf32BE, 0) }
        if rarely(0) && mostly(1) && rarely(2) && mostly(3) { return (.utf16LE, 0) }
        if mostly(0) && rarely(1) && mostly(2) && rarely(3) { return (.utf16BE, 0) }
        return nil
    }

    /// `bytes` (after a BOM of `bom` bytes) converted to UTF-8.
    /// - Throws: `PetalError` naming the offset of the first invalid code unit.
    public func toUTF8(_ bytes: UnsafeBufferPointer<UInt8>, bom: Int, file: String) throws -> [UInt8] {
        let width = self == .utf16LE || self == .utf16BE ? 2 : 4
        let little = self == .utf16LE || self == .utf32LE
        let count = (bytes.count - bom) / width
        if (bytes.count - bom) % width != 0 {
            throw PetalError("the file looks like \(rawValue) text but its length is not a whole number of \(width)-byte characters",
                            at: SourceLocation(file: file), hint: "the file may be cut short; re-save it as UTF-8")
        }
        func unit(_ k: Int) -> UInt32 {
            var v: UInt32 = 0
            for b in 0..<width {
                let byte = UInt32(bytes[bom + k * width + (little ? b : width - 1 - b)])
                v |= byte << (8 * UInt32(b))
            }
            return v
        }
        var out: [UInt8] = []
        out.reserveCapacity(count + count / 8)
        if width == 2 {
            var k = 0
            var units: [UInt16] = []
            units.reserveCapacity(count)
            while k < count { units.append(UInt16(truncatingIfNeeded: unit(k))); k += 1 }
            var iterator = units.makeIterator()
            var decoder = UTF16()
            var index = 0
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let s):
                    UTF8.encode(s) { out.append($0) }
                    index += s.value > 0xFFFF ? 2 : 1
                case .emptyInput: break loop
                case .error: throw invalid(at: bom + index * 2, file: file)
                }
            }
        } else {
            for k in 0..<count {
                guard let s = Unicode.Scalar(unit(k)) else { throw invalid(at: bom + k * 4, file: file) }
                UTF8.encode(s) { out.append($0) }
            }
        }
        return out
    }

    private func invalid(at offset: Int, file: String) -> PetalError {
        PetalError("the file looks like \(rawValue) text but has an invalid character at byte \(offset)", at: SourceLocation(file: file),
                  hint: "re-save the file as UTF-8 (e.g. iconv -f \(rawValue) -t UTF-8)")
    }
}
