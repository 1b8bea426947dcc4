import Foundation
import PetalData
import Testing

/// The one JSON token grammar (`JSONScanner`, used by the loader and the server's request decoder) and the one
/// writer (`JSONText`, `JSONValue`): what is accepted, where a failure points, and that written text reads back.
@Suite struct JSONScannerTests {
    /// Scans and decodes the string literal `literal` (quotes included).
    func string(_ literal: String) -> Result<String, JSONScanner.Failure> {
        let bytes = Array(literal.utf8)
        return bytes.withUnsafeBufferPointer { buf in
            do throws(JSONScanner.Failure) {
                let (end, escaped) = try JSONScanner.scanString(buf.baseAddress!, count: buf.count, quote: 0)
                #expect(end == bytes.count, "\(literal)")
                return .success(JSONScanner.decodeString(buf.baseAddress!, count: buf.count, quote: 0, end: end, escaped: escaped))
            } catch { return .failure(error) }
        }
    }

    func number(_ text: String) -> Result<(end: Int, isFloat: Bool), JSONScanner.Failure> {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buf in
            do throws(JSONScanner.Failure) { return .success(try JSONScanner.scanNumber(buf.baseAddress!, count: buf.count, start: 0)) }
            catch { return .failure(error) }
        }
    }

    @Test func stringsDecodeEveryEscape() throws {
        #expect(try string(#""plain""#).get() == "plain")
        #expect(try string(#""a\"b\\c\/d\b\f\n\r\t""#).get() == "a\"b\\c/d\u{08}\u{0C}\n\r\t")
        #expect(try string(#""caf\u00e9 \u00E9""#).get() == "café é")
        #expect(try string(#""\uD83D\uDE00!""#).get() == "😀!")
        #expect(try string("\"naïve 😀\"").get() == "naïve 😀")
        #expect(try string(#""""#).get() == "")
    }

    @Test func badStringsSayWhatAndWhere() {
        func failure(_ s: String) -> JSONScanner.Failure? { if case .failure(let f) = string(s) { return f }; return nil }
        #expect(failure(#""open"#) == JSONScanner.Failure(.unterminated, at: 0))
        #expect(failure("\"a\nb\"") == JSONScanner.Failure(.lineBreak, at: 0))
        #expect(failure("\"a\u{01}b\"") == JSONScanner.Failure(.controlCharacter(1), at: 2))
        #expect(failure("\"a\u{00}b\"") == JSONScanner.Failure(.nul, at: 2))
        #expect(failure(#""ab\x""#) == JSONScanner.Failure(.invalidEscape(UInt8(ascii: "x")), at: 3))
        #expect(failure(#""\u12G4""#) == JSONScanner.Failure(.shortUnicodeEscape, at: 5))
        #expect(failure(#""\uD83D!""#) == JSONScanner.Failure(.unpairedHighSurrogate(0xD83D), at: 1))
        #expect(failure(#""\uD83D\u0041""#) == JSONScanner.Failure(.notALowSurrogate(high: 0xD83D, next: 0x41), at: 1))
        #expect(failure(#""x\uDE00""#) == JSONScanner.Failure(.unpairedLowSurrogate(0xDE00), at: 2))
        let latin1: [UInt8] = [0x22, 0x63, 0x61, 0x66, 0xE9, 0x22]  // "café" in Latin-1
        let f = latin1.withUnsafeBufferPointer { buf -> JSONScanner.Failure? in
            do throws(JSONScanner.Failure) { _ = try JSONScanner.scanString(buf.baseAddress!, count: buf.count, quote: 0); return nil }
            catch { return error }
        }
        #expect(f == JSONScanner.Failure(.invalidUTF8(0xE9), at: 4))
    }

    @Test func numbersFollowJSONsGrammar() throws {
        #expect(try number("42,").get() == (2, false))
        #expect(try number("-3.5e-2]").get() == (7, true))
        #expect(try number("0").get() == (1, false))
        #expect(try number("1E5").get() == (3, true))
        func failure(_ s: String) -> JSONScanner.Failure? { if case .failure(let f) = number(s) { return f }; return nil }
        #expect(failure("012") == JSONScanner.Failure(.leadingZero, at: 0))
        #expect(failure("-x") == JSONScanner.Failure(.digitAfterMinus, at: 1))
        #expect(failure("1.") == JSONScanner.Failure(.digitAfterPoint, at: 2))
        #expect(failure("1e+") == JSONScanner.Failure(.digitInExponent, at: 3))
    }

    @Test func literalWordsAreWholeWords() {
        func literal(_ s: String) -> JSONScanner.Literal? {
            Array(s.utf8).withUnsafeBufferPointer { buf in JSONScanner.literal(buf.baseAddress!, count: buf.count, at: 0)?.0 }
        }
        #expect(literal("true,") == .true && literal("false]") == .false && literal("null}") == .null)
        #expect(literal("NaN") == .nan && literal("Infinity") == .infinity)
        #expect(literal("truex") == nil && literal("True") == nil && literal("nul") == nil)
    }

    /// Every string JSONText writes is read back unchanged by the scanner (and by Foundation).
    @Test func writtenStringsReadBack() throws {
        let samples = ["", "plain", "quote \" and \\ backslash", "line\nbreak\r\ttab", "bell \u{07} nul \u{00} unit \u{1F}",
                       "slash / é 😀", "\u{7F} del", "NA"]
        for s in samples {
            let text = JSONText.string(s)
            #expect(try string(text).get() == s, "\(text)")
            let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? String
            #expect(foundation == s, "\(text)")
        }
        #expect(JSONText.string("a\u{01}\"") == #""a\u0001\"""#)
    }

    @Test func oneJSONValueWritesBothStyles() {
        let v = JSONValue.object([("name", .string("a\"b")), ("n", .int(3)), ("x", .number(0.5)), ("bad", .number(.nan)),
                                  ("list", .array([.bool(true), .null]))])
        #expect(v.serialized() == #"{"name": "a\"b", "n": 3, "x": 0.5, "bad": null, "list": [true, null]}"#)
        #expect(v.compactText == #"{"name":"a\"b","n":3,"x":0.5,"bad":null,"list":[true,null]}"#)
        #expect(JSONValue.from(.float(.infinity)) == .null && JSONValue.number(nil) == .null)
    }
}
