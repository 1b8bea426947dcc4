import Foundation
import Testing
@testable import PetalData

/// Malformed files get errors that name the file, line and column, never a trap.
@Suite struct BadInputTests {
    @Test func emptyFile() throws {
        let e = try #require(throws: PetalError.self) { try csv("") }
        #expect(e.message.contains("empty"))
        #expect(e.location?.file == "test.csv")
        #expect(throws: PetalError.self) { try csv("\n\n  \n") }
    }

    @Test func headerOnly() throws {
        let (f, warnings) = try csv("a,b,c\n")
        #expect(f.rowCount == 0)
        #expect(f.columnNames == ["a", "b", "c"])
        #expect(warnings.contains { $0.message.contains("no data rows") })
    }

    @Test func raggedRowsFollowThePolicy() throws {
        let text = "a,b\n1,2\n3,4,5\n6\n7,8\n"
        let e = try #require(throws: PetalError.self) { try csv(text) }
        #expect(e.location?.line == 3)
        #expect(e.message.contains("expected 2 fields but found 3"))
        #expect(e.hint?.contains("on_bad_lines") == true)
        let (skipped, none) = try csv(text) { $0.onBadLines = .skip }
        #expect(skipped.rowCount == 2)
        #expect(none.isEmpty)
        let (_, warned) = try csv(text) { $0.onBadLines = .warn }
        #expect(warned.map { $0.location?.line } == [3, 4])
    }

    @Test func unterminatedQuote() throws {
        let e = try #require(throws: PetalError.self) { try csv("a,b\n1,\"open\n2,3\n") }
        #expect(e.message.contains("never closed"))
        #expect(e.location?.line == 2)
        #expect(e.location?.column == 2)
    }

    @Test func invalidUTF8() throws {
        let bytes = Array("a,b\n1,ok\n2,".utf8) + [0xFF, 0xFE] + Array("x\n".utf8)
        let e = try #require(throws: PetalError.self) { try CSVReader.read(bytes: bytes, file: "bad.csv") }
        #expect(e.message.contains("UTF-8"))
        #expect(e.location?.line == 3)
        #expect(e.location?.field == "b")
        #expect(e.hint?.contains("latin1") == true)
    }

    @Test func nulBytes() throws {
        let bytes = Array("a,b\n1,2\n3,".utf8) + [0] + Array("4\n".utf8)
        let e = try #require(throws: PetalError.self) { try CSVReader.read(bytes: bytes, file: "nul.csv") }
        #expect(e.message.contains("NUL"))
        #expect(e.location?.line == 3)
        #expect(e.location?.column == 3)
    }

    @Test func tenMegabyteField() throws {
        let big = String(repeating: "x", count: 10 * 1024 * 1024)
        let (f, _) = try csv("a,b\n1,\"\(big)\"\n2,short\n")
        #expect(f.rowCount == 2)
        if case .text(let s) = f.columns[1][0] { #expect(s.utf8.count == big.utf8.count) } else { Issue.record("not text") }
    }

    @Test func duplicateAndEmptyNames() throws {
        let (f, warnings) = try csv("a,,a,a\n1,2,3,4\n")
        #expect(f.columnNames == ["a", "unnamed_2", "a_2", "a_3"])
        #expect(warnings.count == 3)
    }

    @Test func allNullColumn() throws {
        let (f, _) = try csv("a,b\n1,\n2,NA\n")
        #expect(f.columns[1].nullCount == 2)
        let s = Describe.summarize(f.columns[1])
        #expect(s.count == 0 && s.mean == nil)
    }

    @Test func missingFileAndFolder() throws {
        let missing = try #require(throws: PetalError.self) { try Loaders.load(path: "/nonexistent/petal.csv") }
        #expect(missing.message.contains("no such file"))
        #expect(missing.location?.file == "/nonexistent/petal.csv")
        let dir = TempDir()
        let folder = try #require(throws: PetalError.self) { try Loaders.load(path: dir.url.path) }
        #expect(folder.message.contains("folder"))
    }

    @Test func binaryFileNamedCSV() throws {
        let dir = TempDir()
        let path = dir.file("x.csv", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        #expect(throws: PetalError.self) { try Loaders.load(path: path) }
    }
}
