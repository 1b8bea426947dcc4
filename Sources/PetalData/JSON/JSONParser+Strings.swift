/// String literals: `JSONScanner` checks and decodes them (the grammar shared with the server's request decoder);
/// this file turns its failures into messages with line, column and hint.
extension JSONParser {
    /// Parses a string literal; `pos` is at the opening quote.
    mutating func parseString() throws -> String {
        let quote = pos
        let outcome: Result<(text: String, end: Int), JSONScanner.Failure> = bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return .failure(JSONScanner.Failure(.unterminated, at: quote)) }
            do throws(JSONScanner.Failure) {
                let (end, escaped) = try JSONScanner.scanString(base, count: buf.count, quote: quote)
                return .success((JSONScanner.decodeString(base, count: buf.count, quote: quote, end: end, escaped: escaped), end))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let s):
            pos = s.end
            return s.text
        case .failure(let failure):
            throw stringError(failure, quote: quote)
        }
    }

    /// The message for a string literal `JSONScanner` refused (a string never spans lines, so the line is the current one).
    func stringError(_ failure: JSONScanner.Failure, quote: Int) -> PetalError {
        var at = self
        at.pos = failure.offset
        let here = at.mark
        let start = Mark(offset: quote, line: line, lineStart: lineStart)
        switch failure.kind {
        case .unterminated:
            return error("this string is never closed", at: start, hint: "close it with a double quote (\")")
        case .lineBreak:
            return error("this string is not closed before the end of the line", at: start,
                         hint: "close it with a double quote; a line break inside a string is written \\n")
        case .nul:
            return at.nulError()
        case .controlCharacter(let b):
            return error("a raw control character (U+\(hex(UInt32(b), width: 4))) inside a string", at: here,
                         hint: "write it as an escape such as \\t or \\u\(hex(UInt32(b), width: 4))")
        case .invalidUTF8(let b):
            return error("invalid UTF-8 (byte 0x\(hex(UInt32(b), width: 2))) inside a string", at: here,
                         hint: "JSON must be UTF-8; re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)")
        case .invalidEscape(let e):
            return error("invalid escape \(foundEscape(e)) in a string", at: here,
                         hint: "escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX; write a backslash itself as \\\\")
        case .shortUnicodeEscape:
            return error("expected four hex digits after \\u, found \(at.foundDescription())", at: here,
                         hint: "a \\u escape has exactly four hex digits, e.g. \\u00e9")
        case .unpairedHighSurrogate(let code):
            return error("unpaired surrogate \\u\(hex(code, width: 4)): a high surrogate must be followed by a low one (\\uDC00-\\uDFFF)",
                         at: here, hint: "write characters outside the Basic Multilingual Plane as a surrogate pair, e.g. \\uD83D\\uDE00")
        case .notALowSurrogate(let high, let next):
            return error("unpaired surrogate \\u\(hex(high, width: 4)): it is followed by \\u\(hex(next, width: 4)), not a low surrogate",
                         at: here, hint: "a low surrogate is \\uDC00-\\uDFFF")
        case .unpairedLowSurrogate(let code):
            return error("unpaired low surrogate \\u\(hex(code, width: 4))", at: here,
                         hint: "a low surrogate (\\uDC00-\\uDFFF) must follow a high one (\\uD800-\\uDBFF)")
        case .digitAfterMinus, .leadingZero, .digitAfterPoint, .digitInExponent:
            return error("this string cannot be read", at: here, hint: nil)  // number failures never come from a string
        }
    }

    /// The length of the valid UTF-8 sequence starting at `i`, or nil (see `JSONScanner.utf8SequenceLength`).
    func utf8SequenceLength(at i: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.flatMap { JSONScanner.utf8SequenceLength($0, count: buf.count, at: i) }
        }
    }
}
