/// The byte-level JSON grammar, written once and shared by the file loader (`JSONParser`, which turns a failure
/// into a message with file, line, column and hint) and the server's request decoder (PetalServe's `JSONCursor`,
/// which reads straight into columns and answers a failure with a 400): string literals (escapes, surrogate pairs,
/// UTF-8 validation), number tokens and the literal words. Functions take a base pointer and a byte count; offsets
/// are from the base. Nothing here allocates except `decodeString` building the result.
public enum JSONScanner {
    /// Why a token cannot be read, and the offset a message should point at.
    public struct Failure: Error, Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// The input ends inside the string (offset: its opening quote).
            case unterminated
            /// A raw line feed or carriage return inside the string (offset: its opening quote).
            case lineBreak
            /// A NUL byte (offset: the byte): binary or UTF-16 input.
            case nul
            /// Another raw control character (offset: the byte).
            case controlCharacter(UInt8)
            /// A byte that starts no valid UTF-8 sequence (offset: the byte).
            case invalidUTF8(UInt8)
            /// A backslash followed by this byte, which starts no escape (offset: the backslash).
            case invalidEscape(UInt8)
            /// `\u` without four hex digits (offset: the first byte that is not one).
            case shortUnicodeEscape
            /// A high surrogate not followed by `\u` (offset: its backslash).
            case unpairedHighSurrogate(UInt32)
            /// A high surrogate followed by `\u` that is not a low surrogate (offset: the first backslash).
            case notALowSurrogate(high: UInt32, next: UInt32)
            /// A low surrogate with no high one before it (offset: its backslash).
            case unpairedLowSurrogate(UInt32)
            /// A `-` not followed by a digit (offset: the byte after the `-`).
            case digitAfterMinus
            /// A number starting with 0 followed by digits, like `012` (offset: the number's start).
            case leadingZero
            /// A decimal point not followed by a digit (offset: the byte after the point).
            case digitAfterPoint
            /// An exponent without digits (offset: where a digit should be).
            case digitInExponent
        }
        public var kind: Kind
        public var offset: Int

        public init(_ kind: Kind, at offset: Int) { self.kind = kind; self.offset = offset }
    }

    // MARK: - Strings

    /// Checks the string literal whose opening quote is at `quote`: every escape, surrogate pair and UTF-8
    /// sequence. Returns the offset just past the closing quote and whether the literal holds escapes.
    @inline(__always)
    public static func scanString(_ p: UnsafePointer<UInt8>, count: Int, quote: Int) throws(Failure) -> (end: Int, escaped: Bool) {
        var i = quote + 1
        var escaped = false
        while i < count {
            let b = p[i]
            if b == 0x22 { return (i + 1, escaped) }
            if b >= 0x20 && b < 0x80 && b != 0x5C { i += 1; continue }
            if b == 0x5C {
                escaped = true
                i = try escape(p, count: count, at: i, quote: quote).end
            } else if b < 0x20 {
                if b == 0x0A || b == 0x0D { throw Failure(.lineBreak, at: quote) }
                throw Failure(b == 0 ? .nul : .controlCharacter(b), at: i)
            } else {
                guard let n = utf8SequenceLength(p, count: count, at: i) else { throw Failure(.invalidUTF8(b), at: i) }
                i += n
            }
        }
        throw Failure(.unterminated, at: quote)
    }

    /// The text of a literal `scanString` accepted (`quote` its opening quote, `end` past its closing one),
    /// escapes decoded.
    public static func decodeString(_ p: UnsafePointer<UInt8>, count: Int, quote: Int, end: Int, escaped: Bool) -> String {
        let contents = UnsafeBufferPointer(start: p + quote + 1, count: max(0, end - quote - 2))
        guard escaped else { return String(decoding: contents, as: UTF8.self) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(contents.count)
        var i = quote + 1
        while i < end - 1 {
            let b = p[i]
            guard b == 0x5C, let decoded = try? escape(p, count: count, at: i, quote: quote) else {
                buffer.append(b); i += 1; continue
            }
            UTF8.encode(decoded.scalar) { buffer.append($0) }
            i = decoded.end
        }
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The escape whose backslash is at `i`: the character it stands for and the offset after it.
    static func escape(_ p: UnsafePointer<UInt8>, count: Int, at i: Int, quote: Int) throws(Failure) -> (scalar: Unicode.Scalar, end: Int) {
        guard i + 1 < count else { throw Failure(.unterminated, at: quote) }
        let e = p[i + 1]
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return (Unicode.Scalar(e), i + 2)
        case UInt8(ascii: "b"): return ("\u{08}", i + 2)
        case UInt8(ascii: "f"): return ("\u{0C}", i + 2)
        case UInt8(ascii: "n"): return ("\n", i + 2)
        case UInt8(ascii: "r"): return ("\r", i + 2)
        case UInt8(ascii: "t"): return ("\t", i + 2)
        case UInt8(ascii: "u"):
            var code = try hex4(p, count: count, at: i + 2)
            var end = i + 6
            if (0xD800...0xDBFF).contains(code) {
                guard end + 1 < count, p[end] == UInt8(ascii: "\\"), p[end + 1] == UInt8(ascii: "u") else {
                    throw Failure(.unpairedHighSurrogate(code), at: i)
                }
                let low = try hex4(p, count: count, at: end + 2)
                guard (0xDC00...0xDFFF).contains(low) else { throw Failure(.notALowSurrogate(high: code, next: low), at: i) }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                end += 6
            } else if (0xDC00...0xDFFF).contains(code) {
                throw Failure(.unpairedLowSurrogate(code), at: i)
            }
            guard let scalar = Unicode.Scalar(code) else { throw Failure(.unpairedLowSurrogate(code), at: i) }
            return (scalar, end)
        default:
            throw Failure(.invalidEscape(e), at: i)
        }
    }

    /// The four hex digits at `i` (after `\u`).
    static func hex4(_ p: UnsafePointer<UInt8>, count: Int, at i: Int) throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for k in i..<(i + 4) {
            guard k < count, let d = hexDigit(p[k]) else { throw Failure(.shortUnicodeEscape, at: min(k, count)) }
            value = value << 4 | d
        }
        return value
    }

    /// The value of one hex digit, or nil.
    public static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The length of the valid UTF-8 sequence starting at `i` (a lead byte ≥ 0x80), or nil when it is invalid
    /// (stray continuation bytes, overlong forms, surrogates, code points past U+10FFFF, truncation).
    public static func utf8SequenceLength(_ p: UnsafePointer<UInt8>, count: Int, at i: Int) -> Int? {
        guard i < count else { return nil }
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        let extra: Int
        switch p[i] {
        case 0xC2...0xDF: extra = 1
        case 0xE0: extra = 2; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: extra = 2
        case 0xED: extra = 2; high = 0x9F
        case 0xF0: extra = 3; low = 0x90
        case 0xF1...0xF3: extra = 3
        case 0xF4: extra = 3; high = 0x8F
        default: return nil
        }
        guard i + extra < count, (low...high).contains(p[i + 1]) else { return nil }
        for k in 2..<(extra + 1) where !(0x80...0xBF).contains(p[i + k]) { return nil }
        return extra + 1
    }

    // MARK: - Numbers

    /// Checks the number token at `start` (a `-` or a digit) by JSON's grammar. Returns the offset after it and
    /// whether it has a fraction or an exponent. (`-Infinity` is a literal word: callers look for it first.)
    @inline(__always)
    public static func scanNumber(_ p: UnsafePointer<UInt8>, count: Int, start: Int) throws(Failure) -> (end: Int, isFloat: Bool) {
        var i = start
        if i < count, p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < count, isDigit(p[i]) else { throw Failure(.digitAfterMinus, at: i) }
        if p[i] == UInt8(ascii: "0"), i + 1 < count, isDigit(p[i + 1]) { throw Failure(.leadingZero, at: start) }
        i += 1
        while i < count, isDigit(p[i]) { i += 1 }
        var isFloat = false
        if i < count, p[i] == UInt8(ascii: ".") {
            isFloat = true
            i += 1
            guard i < count, isDigit(p[i]) else { throw Failure(.digitAfterPoint, at: i) }
            while i < count, isDigit(p[i]) { i += 1 }
        }
        if i < count, p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E") {
            isFloat = true
            i += 1
            if i < count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < count, isDigit(p[i]) else { throw Failure(.digitInExponent, at: i) }
            while i < count, isDigit(p[i]) { i += 1 }
        }
        return (i, isFloat)
    }

    // MARK: - Literal words

    /// The words a bare value can be: JSON's `true`, `false`, `null`, and Python's `NaN` and `Infinity`.
    public enum Literal: Sendable { case `true`, `false`, null, nan, infinity }

    /// The literal word at `start` and the offset after it; nil when the word there is another (or none).
    @inline(__always)
    public static func literal(_ p: UnsafePointer<UInt8>, count: Int, at start: Int) -> (Literal, end: Int)? {
        let end = wordEnd(p, count: count, from: start)
        func spells(_ word: StaticString) -> Bool {
            guard end - start == word.utf8CodeUnitCount else { return false }
            for k in 0..<word.utf8CodeUnitCount where p[start + k] != word.utf8Start[k] { return false }
            return true
        }
        switch end - start > 0 ? p[start] : 0 {
        case UInt8(ascii: "t"): return spells("true") ? (.true, end) : nil
        case UInt8(ascii: "f"): return spells("false") ? (.false, end) : nil
        case UInt8(ascii: "n"): return spells("null") ? (.null, end) : nil
        case UInt8(ascii: "N"): return spells("NaN") ? (.nan, end) : nil
        case UInt8(ascii: "I"): return spells("Infinity") ? (.infinity, end) : nil
        default: return nil
        }
    }

    /// The end of the run of word bytes (letters, digits, `_`) at `start`, at most `limit` long.
    public static func wordEnd(_ p: UnsafePointer<UInt8>, count: Int, from start: Int, limit: Int = 40) -> Int {
        var end = start
        while end < count, end - start < limit, isWordByte(p[end]) { end += 1 }
        return end
    }

    @inline(__always) public static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    @inline(__always) public static func isWordByte(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || isDigit(b) || b == UInt8(ascii: "_")
    }
}
