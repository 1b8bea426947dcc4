import Foundation
import Testing
@testable import PetalData

/// Parsing delimited text: RFC 4180, type inference, options.
@Suite struct CSVReaderTests {
    @Test func infersTypes() throws {
        let (f, _) = try csv("i,x,b,d,t,s\n1,1.5,true,2024-01-02,2024-01-02 03:04:05,a\n2,2,False,2024-02-29,2024-01-02T03:04:05.5Z,b\n")
        #expect(f.columns.map(\.type) == [.int, .float, .bool, .date, .datetime, .text])
        #expect(f.rowCount == 2)
        #expect(f.columns[1][1] == .float(2))
        #expect(f.columns[4][1].plainText == "2024-01-02 03:04:05.5")
    }

    @Test func quotingFollowsRFC4180() throws {
        let text = "name,note\r\n\"Smith, J\",\"said \"\"hi\"\"\"\r\n\"multi\nline\",x\r\n"
        let (f, _) = try csv(text)
        #expect(f.rowCount == 2)
        #expect(f.columns[0][0] == .text("Smith, J"))
        #expect(f.columns[1][0] == .text("said \"hi\""))
        #expect(f.columns[0][1] == .text("multi\nline"))
        #expect(f.columns[1][1] == .text("x"))  // CR of CRLF removed
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let (f, _) = try CSVReader.read(bytes: [0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8), file: "bom.csv")
        #expect(f.columnNames == ["a", "b"])
    }

    @Test func delimitersAreSniffedOrGiven() throws {
        #expect(try csv("a;b;c\n1;2;3\n4;5;6\n").0.columnNames == ["a", "b", "c"])
        #expect(try csv("a\tb\n1\t2\n").0.columnNames == ["a", "b"])
        #expect(try csv("a|b\n1|2\n") { $0.delimiter = UInt8(ascii: "|") }.0.columnNames == ["a", "b"])
    }

    @Test func headerOff() throws {
        let (f, _) = try csv("1,2\n3,4\n") { $0.hasHeader = false }
        #expect(f.columnNames == ["column_1", "column_2"])
        #expect(f.rowCount == 2)
    }

    @Test func missingMarkers() throws {
        let (f, _) = try csv("a,b\n1,x\nNA,N/A\n,null\nNaN,None\n3,\"\"\n")
        #expect(f.columns[0].type == .int)
        #expect(f.columns[0].nullCount == 3)
        #expect(f.columns[1].nullCount == 4)
    }

    @Test func typesOverride() throws {
        let (f, _) = try csv("zip,code\n01234,7\n98765,8\n") { $0.types = ["zip": .text, "code": .float] }
        #expect(f.columns[0][0] == .text("01234"))
        #expect(f.columns[1].type == .float)
        #expect(throws: PetalError.self) { try csv("a\nx\n") { $0.types = ["a": .int] } }
        #expect(throws: PetalError.self) { try csv("a\n1\n") { $0.types = ["nope": .int] } }
    }

    @Test func forcedTypeErrorNamesLineAndField() throws {
        let e = try #require(throws: PetalError.self) { try csv("a,b\n1,2\n3,x\n") { $0.types = ["b": .int] } }
        #expect(e.location?.line == 3)
        #expect(e.location?.column == 2)
        #expect(e.location?.field == "b")
    }

    @Test func intsWidenToFloatAndMixedBecomesText() throws {
        let (f, _) = try csv("a,b\n1,1\n2.5,x\n")
        #expect(f.columns[0].type == .float)
        #expect(f.columns[1].type == .text)
        #expect(f.columns[1][0] == .text("1"))
    }

    @Test func thousandsSeparators() throws {
        let (f, warnings) = try csv("n\n\"1,234\"\n\"5,678,901\"\n")
        #expect(f.columns[0].type == .text)
        #expect(warnings.contains { $0.message.contains("thousands=") })
        let (g, _) = try csv("n\n\"1,234\"\n\"5,678,901\"\n") { $0.thousands = UInt8(ascii: ",") }
        #expect(g.columns[0][1] == .int(5_678_901))
    }

    @Test func decimalComma() throws {
        let (f, _) = try csv("x;y\n3,5;1\n") { $0.decimal = UInt8(ascii: ","); $0.delimiter = UInt8(ascii: ";") }
        #expect(f.columns[0][0] == .float(3.5))
    }

    @Test func latin1() throws {
        let (f, _) = try CSVReader.read(bytes: Array("name\n".utf8) + [0x43, 0x61, 0x66, 0xE9, 0x0A], file: "l.csv",
                                        options: { var o = CSVOptions(); o.latin1 = true; return o }())
        #expect(f.columns[0][0] == .text("Café"))
    }

    @Test func floatsParseExactly() throws {
        let values = ["0.1", "1e-7", "123456789.123456789", "-0.0", "1.7976931348623157e308", "4.9e-324", "2.2250738585072014E-308",
                      "0.30000000000000004", "9007199254740993", "1e22", "1e23"]
        let (f, _) = try csv("x\n" + values.joined(separator: "\n") + "\n")
        for (i, text) in values.enumerated() {
            #expect(f.columns[0][i].doubleValue == Double(text), "\(text)")
        }
    }

    @Test func parallelChunksAgreeWithOneThread() throws {
        var text = "id,name,value,when\n"
        for i in 0..<60_000 {
            let name = i % 7 == 0 ? "\"line\nbreak, \"\"q\"\" \(i % 13)\"" : "n\(i % 101)"
            let value = i == 45_000 ? "oops" : String(Double(i) / 8)
            text += "\(i),\(name),\(value),2024-01-\(String(format: "%02d", i % 28 + 1))\n"
        }
        let one = try csv(text) { $0.threads = 1 }.0
        let many = try csv(text) { $0.threads = 4 }.0
        #expect(one.rowCount == 60_000 && many.rowCount == 60_000)
        #expect(many.columns.map(\.type) == [.int, .text, .text, .date])
        for c in 0..<4 {
            for r in stride(from: 0, to: 60_000, by: 997) { #expect(one.columns[c][r] == many.columns[c][r]) }
        }
        #expect(many.columns[1][7] == .text("line\nbreak, \"q\" 7"))
    }
}

@Suite struct FloatParsingTests {
    /// Random decimal strings of every length parse to exactly what the C library gives.
    @Test func agreesWithStrtod() throws {
        var rng = SplitMix64(seed: 7)
        var lines: [String] = []
        for _ in 0..<20_000 {
            let digits = Int(rng.next() % 19) + 1
            var m = ""
            for _ in 0..<digits { m.append(Character(String(rng.next() % 10))) }
            let point = Int(rng.next() % UInt64(digits + 1))
            var s = String(m.prefix(point)) + "." + String(m.dropFirst(point))
            if rng.next() % 3 == 0 { s += "e\(Int(rng.next() % 80) - 40)" }
            if rng.next() % 2 == 0 { s = "-" + s }
            lines.append(s)
        }
        let (f, _) = try csv("x\n" + lines.joined(separator: "\n") + "\n")
        for (i, s) in lines.enumerated() {
            let expected = strtod(s, nil)
            #expect(f.columns[0][i].doubleValue?.bitPattern == expected.bitPattern, "\(s)")
        }
    }
}

@Suite struct MissingMarkerTests {
    @Test func numericMarkersFromTheUser() throws {
        let (f, _) = try csv("a,b\n-999,1.#IND\n5,2\n") { $0.extraMissing = ["-999"] }
        #expect(f.columns[0].nullCount == 1 && f.columns[1].nullCount == 1)
        let (g, _) = try csv("a\n-999\n1.#QNAN\n")
        #expect(g.columns[0].nullCount == 1 && g.columns[0][0] == .int(-999))
    }

    @Test func eightDigitsAtATime() throws {
        let (f, _) = try csv("x\n1.2345678901234567\n-98765.43210987654321\n3.00000000\n")
        #expect(f.columns[0][0] == .float(1.2345678901234567))
        #expect(f.columns[0][1] == .float(-98765.43210987654321))
        #expect(f.columns[0][2] == .float(3))
    }
}

@Suite struct LoadControlTests {
    static let text = "a,b\n" + (0..<50_000).map { "\($0),x\($0 % 10)" }.joined(separator: "\n") + "\n"

    @Test func reportsProgressToTheEnd() throws {
        let control = LoadControl()
        _ = try csv(Self.text) { $0.control = control; $0.threads = 2 }
        #expect(control.progress.total > 0)
        #expect(control.progress.done == control.progress.total)
        #expect(control.fraction == 1)
    }

    @Test func cancelStopsTheLoad() throws {
        let control = LoadControl()
        control.cancel()
        let e = try #require(throws: PetalError.self) { try csv(Self.text) { $0.control = control } }
        #expect(e.message.contains("cancelled"))
    }
}
