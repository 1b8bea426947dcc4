/// String literals: escapes, surrogate pairs and UTF-8 validation.
extension JSONParser {
    /// Parses a string literal; `pos` is at the opening quote.
    mutating func parseString() throws -> String {
        let start = mark
        pos += 1
        var segmentStart = pos
        var buffer: [UInt8] = []
        var escaped = false
        while true {
            guard pos < bytes.count else {
                throw error("this string is never closed", at: start, hint: "close it with a double quote (\")")
            }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                let text: String
                if escaped {
                    buffer.append(contentsOf: bytes[segmentStart..<pos])
                    text = String(decoding: buffer, as: UTF8.self)
                } else {
                    text = String(decoding: bytes[segmentStart..<pos], as: UTF8.self)
                }
                pos += 1
                return text
            }
            if b == UInt8(ascii: "\\") {
                escaped = true
                buffer.append(contentsOf: bytes[segmentStart..<pos])
                try parseEscape(into: &buffer, stringStart: start)
                segmentStart = pos
            } else if b < 0x20 {
                if b == 0x0A || b == 0x0D {
                    throw error("this string is not closed before the end of the line", at: start,
                                hint: "close it with a double quote; a line break inside a string is written \\n")
                }
                if b == 0 { throw nulError() }
                throw error("a raw control character (U+\(hex(UInt32(b), width: 4))) inside a string",
                            hint: "write it as an escape such as \\t or \\u\(hex(UInt32(b), width: 4))")
            } else if b < 0x80 {
                pos += 1
            } else {
                guard let n = utf8SequenceLength(at: pos) else {
                    throw error("invalid UTF-8 (byte 0x\(hex(UInt32(b), width: 2))) inside a string",
                                hint: "JSON must be UTF-8; re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
                }
                pos += n
            }
        }
    }

    /// Parses one escape sequence; `pos` is at the backslash.
    mutating func parseEscape(into buffer: inout [UInt8], stringStart: Mark) throws {
        pos += 1
        guard let e = peek else {
            throw error("this string is never closed", at: stringStart, hint: "close it with a double quote (\")")
        }
        pos += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(e)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
            let escapeStart = pos - 2
            var code = try hex4()
            if (0xD800...0xDBFF).contains(code) {
                guard peek == UInt8(ascii: "\\"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate \\u\(hex(code, width: 4)): a high surrogate must be followed by a low one (\\uDC00-\\uDFFF)",
                                at: Mark(offset: escapeStart, line: line, lineStart: lineStart),
                                hint: "write characters outside the Basic Multilingual Plane as a surrogate pair, e.g. \\uD83D\\uDE00")
                }
                pos += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw error("unpaired surrogate \\u\(hex(code, width: 4)): it is followed by \\u\(hex(low, width: 4)), not a low surrogate",
                                at: Mark(offset: escapeStart, line: line, lineStart: lineStart),
                                hint: "a low surrogate is \\uDC00-\\uDFFF")
                }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(code) {
                throw error("unpaired low surrogate \\u\(hex(code, width: 4))",
                            at: Mark(offset: escapeStart, line: line, lineStart: lineStart),
                            hint: "a low surrogate (\\uDC00-\\uDFFF) must follow a high one (\\uD800-\\uDBFF)")
            }
            guard let scalar = Unicode.Scalar(code) else {
                throw error("\\u\(hex(code, width: 4)) is not a valid character", hint: "check the escape")
            }
            UTF8.encode(scalar) { buffer.append($0) }
        default:
            pos -= 2
            throw error("invalid escape \(foundEscape(e)) in a string",
                        hint: "escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash itself as \\\\")
        }
    }

    /// Reads four hex digits after `\u`.
    mutating func hex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = peek, let d = hexDigit(b) else {
                throw error("expected four hex digits after \\u, found \(foundDescription())",
                            hint: "a \\u escape has exactly four hex digits, e.g. \\u00e9")
            }
            value = value << 4 | d
            pos += 1
        }
        return value
    }

    func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }


    /// The length of the valid UTF-8 sequence starting at `i` (a lead byte ≥ 0x80), or nil when it is invalid
    /// (stray continuation bytes, overlong forms, surrogates, code points past U+10FFFF, truncation).
    func utf8SequenceLength(at i: Int) -> Int? {
        guard i < bytes.count else { return nil }
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        let extra: Int
        switch bytes[i] {
        case 0xC2...0xDF: extra = 1
        case 0xE0: extra = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: extra = 2
        case 0xED: extra = 2; high = 0x9F
        case 0xF0: extra = 3; low = 0x90
        case 0xF1...0xF3: extra = 3
        case 0xF4: extra = 3; high = 0x8F
        default: return nil
        }
        guard i + extra < bytes.count, (low...high).contains(bytes[i + 1]) else { return nil }
        for k in 2..<(extra + 1) where !(0x80...0xBF).contains(bytes[i + k]) { return nil }
        return extra + 1
    }
}
