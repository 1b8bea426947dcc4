import Foundation
import Testing
@testable import PetalData

/// CR line ends, whitespace-only fields, UTF-16/32 and clashing options (issue 12): read as pandas reads them.
@Suite struct LineEndAndEncodingTests {
    @Test func crOnlyAndLoneCRAreLineEnds() throws {
        for text in ["a,b\r1,2\r3,4\r", "a,b\r1,2\r3,4", "a,b\n1,2\r3,4\n", "a,b\r\n1,2\r3,4\n", "a,b\r\r1,2\r\r\r3,4\r"] {
            let (f, _) = try csv(text)
            #expect(f.columnNames == ["a", "b"], "\(text.debugDescription)")
            #expect(f.rowCount == 2, "\(text.debugDescription)")
            #expect(f.columns[1][1] == .int(4), "\(text.debugDescription)")
        }
        // Inside quotes a CR is data.
        let (q, _) = try csv("a,b\r1,\"x\ry\"\r2,z\r")
        #expect(q.columns[1][0] == .text("x\ry"))
        // Errors on CR-only files name the right line.
        let e = try #require(throws: PetalError.self) { try csv("a,b\r1,2\r3,4,5\r") }
        #expect(e.location?.line == 3)
    }

    @Test func crOnlyFileLargerThanOneChunk() throws {
        var text = "id,x\r"
        for i in 0..<200_000 { text += "\(i),\(i % 13)\r" }
        let (f, _) = try csv(text) { $0.threads = 2 }
        #expect(f.rowCount == 200_000)
        #expect(f.columns[0][199_999] == .int(199_999))
    }

    @Test func whitespaceOnlyFieldsAreTextAsInPandas() throws {
        let (quoted, _) = try csv("a,b\n1,x\n2,\" \"\n")
        #expect(quoted.columns[1][1] == .text(" "))
        #expect(quoted.columns[1].nullCount == 0)
        let (unquoted, _) = try csv("a,b\n1,x\n2,  \n")
        #expect(unquoted.columns[1][1] == .text("  "))
        // In a column of numbers a blank makes the column text, as pandas reads it (not a missing number).
        let (numbers, _) = try csv("a,b\n1,1.5\n2,  \n")
        #expect(numbers.columns[1].type == .text)
        // Numbers with spaces around them are still numbers, and " NA" is not a missing marker.
        let (spaced, _) = try csv("a,b\n 1 , 1.5 \n2,3\n")
        #expect(spaced.columns[1].type == .float)
        let (na, _) = try csv("a,b\n1, NA\n2,x\n")
        #expect(na.columns[1][0] == .text(" NA"))
        // An empty field is still missing.
        let (empty, _) = try csv("a,b\n1,\n2,3\n")
        #expect(empty.columns[1].nullCount == 1)
    }

    static func encode(_ text: String, _ encoding: TextEncoding, bom: Bool) -> [UInt8] {
        var out: [UInt8] = []
        switch encoding {
        case .utf16LE, .utf16BE:
            if bom { out += encoding == .utf16LE ? [0xFF, 0xFE] : [0xFE, 0xFF] }
            for u in text.utf16 { out += encoding == .utf16LE ? [UInt8(u & 0xFF), UInt8(u >> 8)] : [UInt8(u >> 8), UInt8(u & 0xFF)] }
        case .utf32LE, .utf32BE:
            if bom { out += encoding == .utf32LE ? [0xFF, 0xFE, 0, 0] : [0, 0, 0xFE, 0xFF] }
            for s in text.unicodeScalars {
                let v = s.value
                let le = [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
                out += encoding == .utf32LE ? le : le.reversed()
            }
        }
        return out
    }

    @Test func utf16And32AreDecoded() throws {
        let text = "name,size\r\ncafé,1.5\r\n日本,2\r\n🌸,3\r\n"
        for encoding in [TextEncoding.utf16LE, .utf16BE, .utf32LE, .utf32BE] {
            for bom in [true, false] {
                let (f, warnings) = try CSVReader.read(bytes: Self.encode(text, encoding, bom: bom), file: "u.csv")
                #expect(f.columnNames == ["name", "size"], "\(encoding) bom=\(bom)")
                #expect(f.columns[0][0] == .text("café") && f.columns[0][2] == .text("🌸"), "\(encoding) bom=\(bom)")
                #expect(f.columns[1].type == .float)
                #expect(warnings.first?.message.contains(encoding.rawValue) == true)
            }
        }
        // Cut in the middle of a character: explained, not called binary.
        let cut = Array(Self.encode(text, .utf16LE, bom: true).dropLast())
        let e = try #require(throws: PetalError.self) { try CSVReader.read(bytes: cut, file: "u.csv") }
        #expect(e.message.contains("UTF-16LE"))
        // A lone surrogate.
        let bad: [UInt8] = [0xFF, 0xFE] + Self.encode("a\n", .utf16LE, bom: false) + [0x00, 0xD8] + Self.encode("\n", .utf16LE, bom: false)
        let invalid = try #require(throws: PetalError.self) { try CSVReader.read(bytes: bad, file: "u.csv") }
        #expect(invalid.message.contains("invalid character"))
        // Through a file too.
        let dir = TempDir()
        let path = dir.file("excel.csv", Self.encode(text, .utf16LE, bom: true))
        #expect(try Loaders.load(path: path).frame?.rowCount == 3)
    }

    @Test func clashingOptionsAreRefused() throws {
        for (t, d, s) in [(UInt8(ascii: "."), UInt8(ascii: "."), nil), (UInt8(ascii: ","), UInt8(ascii: ","), nil),
                          (nil, UInt8(ascii: ";"), UInt8(ascii: ";")), (UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: ","))] as [(UInt8?, UInt8, UInt8?)] {
            let e = try #require(throws: PetalError.self) {
                try csv("a\n5.1\n") { $0.thousands = t; $0.decimal = d; $0.delimiter = s }
            }
            #expect(e.message.contains("numbers would be misread"), "\(e)")
        }
        let newline = try #require(throws: PetalError.self) { try csv("a\n1\n") { $0.delimiter = 0x0A } }
        #expect(newline.message.contains("sep=\\n"))
        #expect(!newline.description.contains("sep=\n"))
        // Different characters are fine.
        let (f, _) = try csv("a\n\"1.234,5\"\n") { $0.thousands = UInt8(ascii: "."); $0.decimal = UInt8(ascii: ",") }
        #expect(f.columns[0][0] == .float(1234.5))
    }

    @Test func emptyNestedJSONObjectKeepsItsColumn() throws {
        let r = try JSONLoader.read(bytes: Array(#"[{"a": 1, "meta": {}}, {"a": 2, "meta": {}}]"#.utf8), file: "e.json")
        let f = try #require(r.frame)
        #expect(f.columnNames == ["a", "meta"])
        #expect(f.columns[1].nullCount == 2)
        // When other records give the object fields, those fields are the columns (missing where it was {}).
        let mixed = try #require(try JSONLoader.read(bytes: Array(#"[{"m": {}}, {"m": {"x": 1}}]"#.utf8), file: "m.json").frame)
        #expect(mixed.columnNames == ["m.x"])
        #expect(mixed.columns[0].nullCount == 1)
    }
}
