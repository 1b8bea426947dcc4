import Foundation
import PetalData

/// A forward-only reader over a request body's UTF-8 bytes, for the few payload shapes `/invocations` takes.
/// It reads straight into typed columns (no tree of values, no per-cell allocation for numbers or plain keys),
/// which is what makes one-row requests cheap; malformed JSON is a 400 that says where (line and column).
/// Python's `NaN`, `Infinity` and `-Infinity` are accepted as numbers, as Python's `json` module writes them.
/// The token grammar (strings with their escapes and UTF-8, numbers, literal words) is PetalData's `JSONScanner`,
/// the same as the file loader's; this type adds the payload walking and the 400s.
struct JSONCursor {
    let p: UnsafePointer<UInt8>
    let count: Int
    var pos = 0
    /// Nesting limit for skipped values (extra fields), so a deep document cannot overflow the stack.
    static let maxDepth = 64

    init(_ p: UnsafePointer<UInt8>, count: Int) { self.p = p; self.count = count }

    /// One scalar token.
    enum Scalar {
        case number(Double)
        case string(String)
        case bool(Bool)
        case null
        case nan
        case infinity
        case array
        case object
    }

    @inline(__always) var atEnd: Bool { pos >= count }
    @inline(__always) var peek: UInt8 { pos < count ? p[pos] : 0 }

    @inline(__always) mutating func skipWhitespace() {
        while pos < count {
            let b = p[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
        }
    }

    /// Skips whitespace and consumes `byte` when it comes next.
    @inline(__always) mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if pos < count && p[pos] == byte { pos += 1; return true }
        return false
    }

    /// Skips whitespace and requires `byte`; `what` says in words what the grammar wanted there.
    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard consume(byte) else { throw malformed("expected \(what)") }
    }

    /// After an element of an array: true when another follows (`,`), false at `]`.
    mutating func nextElement() throws -> Bool {
        if consume(UInt8(ascii: ",")) { return true }
        if consume(UInt8(ascii: "]")) { return false }
        throw malformed("expected ',' or ']' in an array")
    }

    /// After a member of an object: true when another follows (`,`), false at `}`.
    mutating func nextMember() throws -> Bool {
        if consume(UInt8(ascii: ",")) { return true }
        if consume(UInt8(ascii: "}")) { return false }
        throw malformed("expected ',' or '}' in an object")
    }

    // MARK: - Strings

    /// Reads a string; returns the byte range of its contents and whether it has escapes. `pos` ends after it.
    /// The string is checked in full here (escapes, surrogate pairs, UTF-8), so `text` only decodes.
    mutating func stringSpan() throws -> (start: Int, end: Int, escaped: Bool) {
        skipWhitespace()
        guard peek == 0x22 else { throw malformed("expected a string") }
        let quote = pos
        do throws(JSONScanner.Failure) {
            let (end, escaped) = try JSONScanner.scanString(p, count: count, quote: quote)
            pos = end
            return (quote + 1, end - 1, escaped)
        } catch {
            pos = error.offset
            throw malformed(Self.describe(error.kind))
        }
    }

    /// The string in `span` (from `stringSpan`), with escapes decoded.
    func text(_ span: (start: Int, end: Int, escaped: Bool)) -> String {
        JSONScanner.decodeString(p, count: count, quote: span.start - 1, end: span.end + 1, escaped: span.escaped)
    }

    /// Reads a string value.
    mutating func string() throws -> String { text(try stringSpan()) }

    /// True when the plain (unescaped) string in `span` is exactly `name`'s bytes.
    @inline(__always) func spanEquals(_ span: (start: Int, end: Int, escaped: Bool), _ name: [UInt8]) -> Bool {
        guard span.end - span.start == name.count else { return false }
        return name.withUnsafeBufferPointer { b in b.baseAddress.map { memcmp(p + span.start, $0, name.count) == 0 } ?? true }
    }

    // MARK: - Scalars

    /// Reads the next value if it is a scalar; for `[` or `{` it reports `.array`/`.object` without consuming.
    mutating func scalar() throws -> Scalar {
        skipWhitespace()
        guard pos < count else { throw malformed("expected a value, but the body ends here") }
        let b = p[pos]
        switch b {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            if b == UInt8(ascii: "-"), pos + 1 < count, p[pos + 1] == UInt8(ascii: "I") {
                pos += 1
                guard case .infinity = try literal() else { throw malformed("expected a digit after '-'") }
                return .infinity
            }
            let start = pos
            let end: Int
            do throws(JSONScanner.Failure) {
                end = try JSONScanner.scanNumber(p, count: count, start: start).end
            } catch {
                pos = error.offset
                throw malformed(Self.describe(error.kind))
            }
            guard let v = NumberParsing.double(p, start, end) else { throw malformed("a number cannot be read") }
            pos = end
            return .number(v)
        case 0x22: return .string(try string())
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "{"): return .object
        default:
            switch try literal() {
            case .true: return .bool(true)
            case .false: return .bool(false)
            case .null: return .null
            case .nan: return .nan
            case .infinity: return .infinity
            }
        }
    }

    private mutating func literal() throws -> JSONScanner.Literal {
        guard let found = JSONScanner.literal(p, count: count, at: pos) else {
            throw malformed("expected a value (an object, array, string, number, true, false or null)")
        }
        pos = found.end
        return found.0
    }

    /// A scanner failure in words (the position is in the message `malformed` builds).
    static func describe(_ kind: JSONScanner.Failure.Kind) -> String {
        switch kind {
        case .unterminated: return "a string is not closed before the body ends"
        case .lineBreak: return "a string is not closed before the end of the line (a line break inside a string is written \\n)"
        case .nul, .controlCharacter: return "a control character inside a string (escape it as \\n, \\t, …)"
        case .invalidUTF8: return "a string is not valid UTF-8"
        case .invalidEscape: return "a string has a bad escape (escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX)"
        case .shortUnicodeEscape: return "a \\u escape needs four hex digits"
        case .unpairedHighSurrogate, .notALowSurrogate, .unpairedLowSurrogate: return "a string has an unpaired surrogate escape"
        case .digitAfterMinus: return "expected a digit after '-'"
        case .leadingZero: return "a number cannot start with 0 followed by more digits"
        case .digitAfterPoint: return "expected a digit after the decimal point"
        case .digitInExponent: return "expected a digit in the exponent"
        }
    }

    /// Skips one value of any kind (a field the model does not use).
    mutating func skipValue(depth: Int = 0) throws {
        guard depth < JSONCursor.maxDepth else { throw malformed("values nest more than \(JSONCursor.maxDepth) deep") }
        switch try scalar() {
        case .array:
            pos += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while try nextElement()
        case .object:
            pos += 1
            if consume(UInt8(ascii: "}")) { return }
            repeat {
                _ = try stringSpan()
                try expect(UInt8(ascii: ":"), "':' after a member name")
                try skipValue(depth: depth + 1)
            } while try nextMember()
        default: return
        }
    }

    /// Requires that only whitespace is left.
    mutating func expectEnd() throws {
        skipWhitespace()
        guard atEnd else { throw malformed("unexpected text after the JSON value") }
    }

    // MARK: - Errors

    /// A 400 for malformed JSON, saying where (line and column of `pos`) and what was found.
    func malformed(_ what: String) -> ServeError {
        var line = 1, lineStart = 0
        let upTo = min(pos, count)
        for i in 0..<upTo where p[i] == 0x0A { line += 1; lineStart = i + 1 }
        let found: String
        if pos >= count { found = "the end of the body" } else {
            let b = p[pos]
            found = b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))'" : String(format: "byte 0x%02x", b)
        }
        return ServeError(.malformedRequest,
                          "malformed JSON at line \(line), column \(upTo - lineStart + 1): \(what), found \(found)")
    }
}
