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
        var members: [JSONMember] = []
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
            members.append(JSONMember(key: key, value: value))
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

    /// Parses a number; `pos` is at `-` or a digit. Integers without `.`/`e` that fit Int64 are ints.
    mutating func parseNumber() throws -> JSONValue {
        let start = pos
        if consume(UInt8(ascii: "-")), peek == UInt8(ascii: "I") {
            guard try readLiteral() == .infinity else {
                pos = start + 1
                throw error("expected a digit after '-', found \(foundDescription())", hint: "write negative numbers like -3.5")
            }
            return .float(-.infinity)
        }
        guard let first = peek, isDigit(first) else {
            throw error("expected a digit after '-', found \(foundDescription())", hint: "write negative numbers like -3.5")
        }
        var isFloat = false
        pos += 1
        if first == UInt8(ascii: "0"), let next = peek, isDigit(next) {
            throw error("a number cannot start with 0 followed by more digits",
                        at: Mark(offset: start, line: line, lineStart: lineStart),
                        hint: "write 12, not 012 (put the value in quotes if the leading zeros matter)")
        }
        skipDigits()
        if consume(UInt8(ascii: ".")) {
            isFloat = true
            guard let d = peek, isDigit(d) else {
                throw error("expected a digit after the decimal point, found \(foundDescription())", hint: "write 1.0 or 1, not 1.")
            }
            skipDigits()
        }
        if let e = peek, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            isFloat = true
            pos += 1
            if let s = peek, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { pos += 1 }
            guard let d = peek, isDigit(d) else {
                throw error("expected a digit in the exponent, found \(foundDescription())", hint: "write exponents like 1e-5")
            }
            skipDigits()
        }
        let end = pos
        let parsed: JSONValue? = bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return nil }
            if !isFloat, let v = FieldParsers.parseInt(base, start, end, thousands: nil) { return .int(v) }
            return FieldParsers.parseDouble(base, start, end, thousands: nil, decimal: UInt8(ascii: ".")).map { .float($0) }
        }
        guard let parsed else {
            throw error("this number cannot be read", at: Mark(offset: start, line: line, lineStart: lineStart),
                        hint: "write numbers like 42, -3.5 or 1e-5")
        }
        return parsed
    }

    /// The special words a literal can be.
    enum Literal { case `true`, `false`, null, nan, infinity }

    /// Parses `true`, `false`, `null`, `NaN` or `Infinity`; anything else is an error saying what was found.
    private mutating func readLiteral() throws -> Literal {
        let start = pos
        var end = pos
        while end < bytes.count, end - start < 40, isWordByte(bytes[end]) { end += 1 }
        let word = String(decoding: bytes[start..<end], as: UTF8.self)
        let literal: Literal?
        switch word {
        case "true": literal = .true
        case "false": literal = .false
        case "null": literal = .null
        case "NaN": literal = .nan
        case "Infinity": literal = .infinity
        default: literal = nil
        }
        guard let literal else {
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
        pos = end
        return literal
    }

    private mutating func parseLiteral() throws -> JSONValue {
        switch try readLiteral() {
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .null: return .null
        case .nan: return .float(.nan)
        case .infinity: return .float(.infinity)
        }
    }

    // MARK: - Bytes

    mutating func skipDigits() { while let d = peek, isDigit(d) { pos += 1 } }
    func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    func isWordByte(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || isDigit(b) || b == UInt8(ascii: "_")
    }
}
