import Foundation
import PetalData

/// A forward-only reader over a request body's UTF-8 bytes, for the few payload shapes `/invocations` takes.
/// It reads straight into typed columns (no tree of values, no per-cell allocation for numbers or plain keys),
/// which is what makes one-row requests cheap; malformed JSON is a 400 that says where (line and column).
/// Python's `NaN`, `Infinity` and `-Infinity` are accepted as numbers, as Python's `json` module writes them.
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
    mutating func stringSpan() throws -> (start: Int, end: Int, escaped: Bool) {
        skipWhitespace()
        guard peek == 0x22 else { throw malformed("expected a string") }
        pos += 1
        let start = pos
        var escaped = false
        while pos < count {
            let b = p[pos]
            if b == 0x22 { pos += 1; return (start, pos - 1, escaped) }
            if b == 0x5C { escaped = true; pos += 2; continue }
            if b < 0x20 { throw malformed("a control character inside a string (escape it as \\n, \\t, …)") }
            pos += 1
        }
        throw malformed("the body ends inside a string")
    }

    /// The string in `span`, with escapes decoded.
    func text(_ span: (start: Int, end: Int, escaped: Bool)) throws -> String {
        let raw = UnsafeBufferPointer(start: p + span.start, count: span.end - span.start)
        guard span.escaped else {
            guard let s = String(validating: raw, as: UTF8.self) else { throw malformed("a string is not valid UTF-8") }
            return s
        }
        // Rare: let Foundation decode the escapes of this one string literal.
        let literal = Data(UnsafeBufferPointer(start: p + span.start - 1, count: span.end - span.start + 2))
        guard let s = try? JSONSerialization.jsonObject(with: literal, options: .fragmentsAllowed) as? String else {
            throw malformed("a string has a bad escape")
        }
        return s
    }

    /// Reads a string value.
    mutating func string() throws -> String { try text(try stringSpan()) }

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
                try literal("Infinity")
                return .infinity
            }
            let start = pos
            pos += 1
            while pos < count {
                let c = p[pos]
                guard (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                        || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") else { break }
                pos += 1
            }
            guard let v = NumberParsing.double(p, start, pos) else { pos = start; throw malformed("a number cannot be read") }
            return .number(v)
        case 0x22: return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "N"): try literal("NaN"); return .nan
        case UInt8(ascii: "I"): try literal("Infinity"); return .infinity
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "{"): return .object
        default: throw malformed("expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard pos + n <= count, memcmp(p + pos, word.utf8Start, n) == 0 else { throw malformed("expected a value") }
        pos += n
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
        return ServeError(code: "MALFORMED_REQUEST",
                          "malformed JSON at line \(line), column \(upTo - lineStart + 1): \(what), found \(found)")
    }
}
