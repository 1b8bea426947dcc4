/// A recursive-descent JSON parser over UTF-8 bytes that tracks line and column, so every syntax error says
/// where it is (`data.json, line 3, column 17: expected ',' or '}' after an object member`) and what to do.
///
/// Beyond RFC 8259 it accepts `NaN`, `Infinity` and `-Infinity` (which Python's `json` module writes) as
/// floats. Nesting deeper than `maxDepth` is an error rather than a stack overflow.
struct JSONParser {
    /// How deeply arrays and objects may nest by default.
    static let defaultMaxDepth = 512

    let bytes: [UInt8]
    /// The file name used in error locations.
    let file: String
    let maxDepth: Int
    /// The offset of the next byte to read.
    var pos: Int
    /// The 1-based line of `pos`.
    var line = 1
    /// The offset where the current line starts.
    var lineStart: Int

    /// A saved position, for errors that point back at where something started.
    struct Mark { var offset: Int; var line: Int; var lineStart: Int }

    init(bytes: [UInt8], file: String, start: Int = 0, maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.bytes = bytes
        self.file = file
        self.maxDepth = maxDepth
        self.pos = min(max(0, start), bytes.count)
        self.lineStart = 0
    }

    var isAtEnd: Bool { pos >= bytes.count }
    var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }
    var mark: Mark { Mark(offset: pos, line: line, lineStart: lineStart) }

    // MARK: - Whitespace

    /// Skips JSON whitespace, counting lines.
    mutating func skipWhitespace() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x0A {
                pos += 1; line += 1; lineStart = pos
            } else if b == 0x20 || b == 0x09 || b == 0x0D {
                pos += 1
            } else {
                return
            }
        }
    }

    /// Skips spaces, tabs and carriage returns but stops at a line feed (for one-record-per-line files).
    mutating func skipSpacesInLine() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0D { pos += 1 }
    }

    /// Consumes `byte` when it is next; returns whether it was.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        pos += 1
        if byte == 0x0A { line += 1; lineStart = pos }
        return true
    }

    // MARK: - Values

    /// Parses one value after optional whitespace. `depth` is how many arrays/objects enclose it.
    mutating func parseValue(depth: Int = 0) throws -> JSONValue {
        skipWhitespace()
        guard let b = peek else {
            throw error("expected a value but the file ends here", hint: "the JSON data is cut short; check the end of the file")
        }
        switch b {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: return try parseLiteral()
        }
    }

    /// Parses an object; `pos` is at `{`.
    mutating func parseObject(depth: Int) throws -> JSONValue {
        let open = mark
        try checkDepth(depth)
        pos += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if consume(UInt8(ascii: "}")) { return .object(members) }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw badMemberName(afterComma: !members.isEmpty, open: open) }
            let key = try parseString()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else {
                throw error("expected ':' after the member name \"\(key)\", found \(foundDescription())",
                            hint: "object members are written \"name\": value")
            }
            let value = try parseValue(depth: depth)
            members.append((key, value))
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "}")) { return .object(members) }
            if isAtEnd { throw endsInside("an object", open: open, closer: "}") }
            throw error("expected ',' or '}' after an object member, found \(foundDescription())",
                        hint: "a comma is probably missing before this point, or a '}' to close the object opened at \(place(open))")
        }
    }

    /// Parses an array; `pos` is at `[`.
    mutating func parseArray(depth: Int) throws -> JSONValue {
        var items: [JSONValue] = []
        try parseArrayElements(depth: depth) { item, _, _ in items.append(item) }
        return .array(items)
    }

    /// Parses an array element by element, handing each to `body` with its index and the line where it starts,
    /// without keeping them; `pos` is at `[`. This is how a top-level list of records streams into columns.
    mutating func parseArrayElements(depth: Int, _ body: (JSONValue, Int, Int) throws -> Void) throws {
        let open = mark
        try checkDepth(depth)
        pos += 1
        skipWhitespace()
        if consume(UInt8(ascii: "]")) { return }
        var index = 0
        while true {
            skipWhitespace()
            if peek == UInt8(ascii: "]") && index > 0 {
                throw error("a comma before ']' is not allowed in JSON", hint: "remove the comma after the last element")
            }
            if isAtEnd { throw endsInside("an array", open: open, closer: "]") }
            let elementLine = line
            try body(try parseValue(depth: depth), index, elementLine)
            index += 1
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            if consume(UInt8(ascii: "]")) { return }
            if isAtEnd { throw endsInside("an array", open: open, closer: "]") }
            throw error("expected ',' or ']' after an array element, found \(foundDescription())",
                        hint: "a comma is probably missing before this point, or a ']' to close the array opened at \(place(open))")
        }
    }

    /// Parses a number; `pos` is at `-` or a digit. Integers without `.`/`e` that fit Int64 are ints. The grammar
    /// is `JSONScanner`'s (shared with the server's request decoder); this adds the messages.
    mutating func parseNumber() throws -> JSONValue {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "I") {
            pos += 1
            guard try readLiteral() == .infinity else {
                pos = start + 1
                throw error("expected a digit after '-', found \(foundDescription())", hint: "write negative numbers like -3.5")
            }
            return .number(-.infinity)
        }
        let parsed: Result<(value: JSONValue?, end: Int), JSONScanner.Failure> = bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return .success((nil, start)) }
            do throws(JSONScanner.Failure) {
                let (end, isFloat) = try JSONScanner.scanNumber(base, count: buf.count, start: start)
                if !isFloat, let v = FieldParsers.parseInt(base, start, end, thousands: nil) { return .success((.int(Int(v)), end)) }
                return .success((FieldParsers.parseDouble(base, start, end, thousands: nil, decimal: UInt8(ascii: "."), tables: .shared).map { .number($0) }, end))
            } catch {
                return .failure(error)
            }
        }
        switch parsed {
        case .success(let token) where token.value != nil:
            pos = token.end
            return token.value ?? .null
        case .success:
            throw error("this number cannot be read", at: Mark(offset: start, line: line, lineStart: lineStart),
                        hint: "write numbers like 42, -3.5 or 1e-5")
        case .failure(let failure):
            pos = failure.offset
            switch failure.kind {
            case .leadingZero:
                throw error("a number cannot start with 0 followed by more digits",
                            hint: "write 12, not 012 (put the value in quotes if the leading zeros matter)")
            case .digitAfterPoint:
                throw error("expected a digit after the decimal point, found \(foundDescription())", hint: "write 1.0 or 1, not 1.")
            case .digitInExponent:
                throw error("expected a digit in the exponent, found \(foundDescription())", hint: "write exponents like 1e-5")
            default:
                throw error("expected a digit after '-', found \(foundDescription())", hint: "write negative numbers like -3.5")
            }
        }
    }

    typealias Literal = JSONScanner.Literal

    /// Parses `true`, `false`, `null`, `NaN` or `Infinity`; anything else is an error saying what was found.
    private mutating func readLiteral() throws -> Literal {
        let start = pos
        let found = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.flatMap { JSONScanner.literal($0, count: buf.count, at: start) }
        }
        guard let found else {
            let end = bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress.map { JSONScanner.wordEnd($0, count: buf.count, from: start) } ?? start
            }
            let word = String(decoding: bytes[start..<end], as: UTF8.self)
            let hint: String
            switch word {
            case "True", "False", "TRUE", "FALSE", "None", "NULL", "Null", "nil", "undefined":
                hint = "JSON writes true, false and null in lowercase"
            case "":
                hint = quoteHint ?? "a value is missing here; write null for a missing value"
            default:
                hint = "text values need double quotes, e.g. \"abc\""
            }
            throw error("expected a value (an object, array, string, number, true, false or null), found \(foundDescription())",
                        hint: hint)
        }
        pos = found.end
        return found.0
    }

    private mutating func parseLiteral() throws -> JSONValue {
        switch try readLiteral() {
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        case .nan: return .number(.nan)
        case .infinity: return .number(.infinity)
        }
    }

    // MARK: - Bytes

    func isWordByte(_ b: UInt8) -> Bool { JSONScanner.isWordByte(b) }
}
