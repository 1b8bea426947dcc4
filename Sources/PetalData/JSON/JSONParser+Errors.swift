/// Error construction for `JSONParser`: every error carries the file, line and column (in characters).
extension JSONParser {
    /// An error at `mark` (default: the current position).
    func error(_ message: String, at mark: Mark? = nil, hint: String?) -> PetalError {
        let m = mark ?? self.mark
        return PetalError(message, at: SourceLocation(file: file, line: m.line, column: column(of: m)), hint: hint)
    }

    /// The 1-based column of `mark`, counting characters rather than bytes.
    func column(of mark: Mark) -> Int {
        var count = 1
        var i = max(0, mark.lineStart)
        let end = min(mark.offset, bytes.count)
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count
    }

    /// A mark for any byte offset (scans from the start; for one-off errors only).
    func mark(at offset: Int) -> Mark {
        var line = 1, lineStart = 0
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
        return Mark(offset: end, line: line, lineStart: lineStart)
    }

    /// "line 3, column 5", for hints that point back at an opening bracket.
    func place(_ mark: Mark) -> String { "line \(mark.line), column \(column(of: mark))" }

    /// What is at the current position, in words: `'x'`, `"True"`, `the end of the file`, ...
    func foundDescription() -> String {
        guard pos < bytes.count else { return "the end of the file" }
        let b = bytes[pos]
        if b == 0 { return "a NUL byte" }
        if b < 0x20 { return "control character U+\(hex(UInt32(b), width: 4))" }
        if b < 0x7F {
            guard isWordByte(b) else { return "'\(Character(Unicode.Scalar(b)))'" }
            var end = pos
            while end < bytes.count, end - pos < 20, isWordByte(bytes[end]) { end += 1 }
            return "\"\(String(decoding: bytes[pos..<end], as: UTF8.self))\""
        }
        if let n = utf8SequenceLength(at: pos) {
            return "'\(String(decoding: bytes[pos..<(pos + n)], as: UTF8.self))'"
        }
        return "byte 0x\(hex(UInt32(b), width: 2)) (not valid UTF-8)"
    }

    /// The file ended before a bracket was closed.
    func endsInside(_ what: String, open: Mark, closer: String) -> PetalError {
        error("the file ends inside \(what) opened at \(place(open))",
              hint: "close it with '\(closer)', or check whether the file was cut short")
    }

    /// Something other than a quoted name where an object member should start.
    func badMemberName(afterComma: Bool, open: Mark) -> PetalError {
        if isAtEnd { return endsInside("an object", open: open, closer: "}") }
        if afterComma && peek == UInt8(ascii: "}") {
            return error("a comma before '}' is not allowed in JSON", hint: "remove the comma after the last member")
        }
        let hint = quoteHint ?? "object members are written \"name\": value, with the name in double quotes"
        return error("expected a member name in double quotes, found \(foundDescription())", hint: hint)
    }

    /// A hint when the next character is a single or curly quote, which JSON does not use for strings.
    var quoteHint: String? {
        if peek == UInt8(ascii: "'") { return "JSON strings use double quotes, not single quotes" }
        if pos + 2 < bytes.count, bytes[pos] == 0xE2, bytes[pos + 1] == 0x80, (0x98...0x9D).contains(bytes[pos + 2]) {
            return "JSON strings use straight double quotes (\"), not curly quotes; turn off smart quotes in your editor"
        }
        return nil
    }

    /// A NUL byte: the input is binary or UTF-16, not JSON text.
    func nulError() -> PetalError {
        error("found a NUL byte: this looks like a binary file, not JSON text",
              hint: "check that the file really is JSON; if it is UTF-16, re-save it as UTF-8")
    }

    /// Throws when an array or object would nest deeper than `maxDepth`.
    func checkDepth(_ depth: Int) throws {
        guard depth > maxDepth else { return }
        throw error("the data nests arrays and objects more than \(maxDepth) levels deep",
                    hint: "Petal reads JSON nested at most \(maxDepth) levels; flatten the data first")
    }

    /// An escape as written, for messages: `'\x'`.
    func foundEscape(_ e: UInt8) -> String {
        e >= 0x20 && e < 0x7F ? "'\\\(Character(Unicode.Scalar(e)))'" : "'\\' followed by byte 0x\(hex(UInt32(e), width: 2))"
    }

    /// Uppercase hex, zero-padded to `width`.
    func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
