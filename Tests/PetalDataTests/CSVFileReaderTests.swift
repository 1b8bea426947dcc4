import Foundation
import Testing
@testable import PetalData

/// The file reader (`open`): windows read with pread, cut at record starts, columns widened without a second load.
@Suite struct CSVFileReaderTests {
    /// `rows` lines of an int, a float and a text column, then `last` as the final line.
    static func table(rows: Int, last: String) -> String {
        var s = "n,x,city\n"
        for i in 0..<rows { s += "\(i * 7 % 1000),\(Double(i) / 8),c\(i % 13)\n" }
        return s + last + "\n"
    }

    @Test func aLateTextValueWidensTheColumnAndKeepsEveryValueAsWritten() throws {
        for (last, column) in [("unknown,1.5,z", 0), ("5,n/k,z", 1)] {
            let text = Self.table(rows: 5000, last: last)
            let dir = TempDir()
            let path = dir.file("late.csv", text)
            let (frame, _) = try CSVFileReader.read(path: path, options: CSVOptions(), fileExtension: "csv", window: 4096)
            let c = frame.columns[column]
            #expect(c.type == .text)
            #expect(frame.rowCount == 5001)
            guard case .text(let codes, let dictionary) = c.storage else { continue }
            // Values written before the text arrived are the file's own spellings, not re-formatted numbers.
            #expect(dictionary[Int(codes[1])] == (column == 0 ? "7" : "0.125"))
            #expect(dictionary[Int(codes[5000])] == (column == 0 ? "unknown" : "n/k"))
            // The other columns keep their types.
            #expect(frame.columns[1 - column].type == (column == 0 ? .float : .int))
            expectSameFromFile(Array(text.utf8), options: CSVOptions(), as: Result { try csvInMemory(text) }, windows: [997, 4096])
        }
    }

    @Test func quotedNewlinesDelimitersAndQuotesAcrossWindows() throws {
        var s = "id,note,v\n"
        for i in 0..<3000 { s += "\(i),\"line \(i)\nhas, a \"\"quote\"\"\r\nand more\",\(i % 5 == 0 ? "NA" : "\(i)")\n" }
        let (frame, _) = try csv(s)
        #expect(frame.rowCount == 3000)
        expectSameFromFile(Array(s.utf8), options: CSVOptions(), as: Result { try csvInMemory(s) }, windows: [100, 1000, 7919])
    }

    @Test func aFileThatChangesWhileItIsReadIsAnErrorNotACrash() throws {
        let dir = TempDir()
        let path = dir.file("grow.csv", Self.table(rows: 2000, last: "1,2,z"))
        let input = try WindowedFile(path: path, capacity: 1024, lines: LineIndex(path: path))
        try input.fill()
        // Another process truncates the file meanwhile: reading on is an error naming the change.
        #expect(truncate(path, 100) == 0)
        input.consume(input.count)
        let e = try #require(throws: PetalError.self) { try input.fill() }
        #expect("\(e)".contains("changed while it was read"))
    }

    /// The csvfile fuzz target's first find: a UTF-16 file was refused as binary (its zero bytes met the NUL check
    /// before the encoding was recognised).
    @Test func utf16FromAFileIsConvertedNotCalledBinary() throws {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("name,size\r\ncafé,1.5\r\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let memory = Result { try CSVReader.read(bytes: bytes, file: "test.csv") }
        #expect((try? memory.get())?.0.rowCount == 1)
        expectSameFromFile(bytes, options: CSVOptions(), as: memory)
    }

    @Test func bigFilesUseWindowsAndSmallOnesAreReadWhole() throws {
        let text = Self.table(rows: 300, last: "1,2,z")
        let dir = TempDir()
        let path = dir.file("t.csv", text)
        // A window larger than the file: read whole, same frame.
        let whole = try CSVFileReader.read(path: path, options: CSVOptions(), fileExtension: "csv", window: 1 << 20)
        let windowed = try CSVFileReader.read(path: path, options: CSVOptions(), fileExtension: "csv", window: 256)
        #expect(outcome(.success(whole)) == outcome(.success(windowed)))
    }
}

/// The in-memory reader alone (no file comparison), as the reference.
func csvInMemory(_ text: String, _ options: CSVOptions = CSVOptions()) throws -> (Frame, [DataWarning]) {
    try CSVReader.read(bytes: Array(text.utf8), file: "test.csv", options: options)
}
