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

    /// `onlyColumns` (what `petal predict --predictions-only` reads): the kept columns are exactly what a full read
    /// gives for them, in the file's order — in memory and from a file in windows (`csv` checks both) — while the
    /// skipped columns may hold anything that parses as fields: text that would widen them late, quoted newlines
    /// and delimiters, values a forced type would refuse. Line structure is still checked; unknown names are ignored.
    @Test func onlyTheNamedColumnsAreParsedAndKept() throws {
        var s = "skip1,a,skip2,b,c\n"
        for i in 0..<4000 {
            let note = i % 3 == 0 ? "\"x\(i),\ny \"\"q\"\"\"" : "t\(i % 17)"
            s += "\(i),\(Double(i) / 4),\(note),\(i % 7 == 0 ? "" : "k\(i % 5)"),\(i * 3)\n"
        }
        s += "late text,0.5,z,k1,7\n"            // skip1 would widen to text on the last line
        let wide = s + "1,2,3,4,late\n"            // c (kept) widens on the last line
        for (text, keep) in [(s, ["a", "b", "c"]), (wide, ["c", "a"]), (s, ["b", "nope"])] {
            let (all, _) = try csv(text)
            let (some, _) = try csv(text) { $0.onlyColumns = Set(keep); $0.types = ["skip2": .int] }
            let names = all.columnNames.filter { keep.contains($0) }
            #expect(some.columnNames == names)
            #expect(some.rowCount == all.rowCount)
            #expect(some.columns.map(render) == (try all.selecting(names)).columns.map(render))
        }
        // A ragged line is still an error naming the line, skipped columns or not.
        let ragged = "a,b,c\n1,2,3\n4,5\n"
        #expect(throws: PetalError.self) { try csv(ragged) { $0.onlyColumns = ["a"] } }
    }

    @Test func quotedNewlinesDelimitersAndQuotesAcrossWindows() throws {
        var s = "id,note,v\n"
        for i in 0..<3000 { s += "\(i),\"line \(i)\nhas, a \"\"quote\"\"\r\nand more\",\(i % 5 == 0 ? "NA" : "\(i)")\n" }
        let (frame, _) = try csv(s)
        #expect(frame.rowCount == 3000)
        expectSameFromFile(Array(s.utf8), options: CSVOptions(), as: Result { try csvInMemory(s) }, windows: [100, 1000, 7919])
    }

    /// A quote inside an unquoted field (`5'11"`, `ab"c`) is an ordinary byte to the parser, so it must not flip
    /// the cutter's idea of being inside quotes: mixed with quoted fields that hold line breaks, a cut placed by
    /// quote parity would land inside a record. Read on one thread (no cuts) as the truth, then in memory on
    /// two threads (cut chunks) and from a file in windows, and every cell must agree.
    @Test func strayQuotesInUnquotedFieldsDoNotMoveACut() throws {
        var s = "id,height,note\n"
        let rows = 72_000  // > 2 MiB, so the in-memory reader cuts it into chunks too
        for i in 0..<rows {
            switch i % 4 {
            case 0: s += "\(i),5'11\",plain \(i)\n"
            case 1: s += "\(i),tall,\"two\nlines, with a comma \(i)\"\n"
            case 2: s += "\(i),ab\"c\"d\",\"say \"\"hi\"\" \(i)\"\n"
            default: s += "\(i),\"\"x,\"quoted \(i)\" trailing\"q\n"
            }
        }
        let bytes = Array(s.utf8)
        #expect(bytes.count > 2 << 20)
        let truth = Result { () throws -> (Frame, [DataWarning]) in
            var o = CSVOptions()
            o.threads = 1
            return try CSVReader.read(bytes: bytes, file: "test.csv", options: o)
        }
        let (frame, _) = try truth.get()
        #expect(frame.rowCount == rows)
        guard case .text(let codes, let dictionary) = frame.columns[1].storage,
              case .text(let noteCodes, let notes) = frame.columns[2].storage else {
            Issue.record("height and note should be text")
            return
        }
        #expect(dictionary[Int(codes[0])] == "5'11\"")
        #expect(dictionary[Int(codes[2])] == "ab\"c\"d\"")
        #expect(notes[Int(noteCodes[1])] == "two\nlines, with a comma 1")
        #expect(notes[Int(noteCodes[rows - 1])] == "quoted \(rows - 1) trailing\"q")
        var two = CSVOptions()
        two.threads = 2
        let chunked = Result { try CSVReader.read(bytes: bytes, file: "test.csv", options: two) }
        #expect(outcome(chunked) == outcome(truth), "in memory on two threads")
        expectSameFromFile(bytes, options: CSVOptions(), as: truth, windows: [])
        let dir = TempDir()
        let path = dir.file("stray.csv", bytes)
        for window in [65_536, 300_001] {
            let streamed = Result { try CSVFileReader.read(path: path, options: two, fileExtension: "csv", window: window) }
            #expect(outcome(streamed).replacingOccurrences(of: path, with: "test.csv") == outcome(truth), "window \(window)")
        }
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

    /// A large read is split between threads (`WindowedFile.fill`): the bytes land where one read puts them, and of
    /// NUL bytes in several pieces the file's first is the one named, whichever thread met it first.
    @Test func readsSplitBetweenThreadsKeepTheBytesAndNameTheFirstNUL() throws {
        let line = Array("1234567,x\n".utf8)
        let lines = (4 << 20) / line.count
        let clean = [UInt8]((0..<lines).lazy.flatMap { _ in line })
        let dir = TempDir()
        let path = dir.file("clean.csv", clean)
        let input = try WindowedFile(path: path, capacity: clean.count, lines: LineIndex(path: path), threads: 2)
        try input.fill()
        #expect(input.count == clean.count)
        #expect(Array(UnsafeBufferPointer(start: input.buffer, count: input.count)) == clean)
        // NULs in both halves, in the second only, and in the second piece of a later window.
        for (nuls, capacity) in [([clean.count / 4 + 3, clean.count * 3 / 4], clean.count), ([clean.count * 3 / 4 + 5, clean.count - 2], clean.count),
                                 ([clean.count * 7 / 8], clean.count / 2)] {
            var bytes = clean
            for at in nuls { bytes[at] = 0 }
            let bad = dir.file("nul.csv", bytes)
            let file = try WindowedFile(path: bad, capacity: capacity, lines: LineIndex(path: bad), threads: 2)
            let e = try #require(throws: PetalError.self) {
                try file.fill()
                file.consume(file.count)
                try file.fill()
            }
            let first = nuls.min() ?? 0
            #expect(e.message.contains("NUL"))
            #expect(e.location?.line == first / line.count + 1)
            #expect(e.location?.column == first % line.count + 1)
        }
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

/// Found by the csvfile fuzz target (Fuzz/crashes/crash-csvfile-1796052201): a column widened to text in one window
/// is parsed as text in the next, where every value was missing — a chunk of a text column with an empty
/// dictionary, whose missing rows' code 0 indexed nothing when chunks were merged (a trap, not an error).
@Suite struct TextChunkOfMissingValuesTests {
    @Test func aWindowWhoseTextColumnIsAllMissingMerges() throws {
        let text = "\u{FEFF}i1e5d;when;ok\n1;2024-01-02;true\n2;20U24-03-04 10:01;false\n3;;\n"
        let memory = Result { try csvInMemory(text) }
        let (frame, _) = try memory.get()
        #expect(frame.rowCount == 3)
        #expect(frame.columns[1].type == .text)
        #expect(!frame.columns[1].isValid(2))
        expectSameFromFile(Array(text.utf8), options: CSVOptions(), as: memory, windows: [1, 2, 5])
    }

    @Test func aForcedTextColumnWithAChunkOfOnlyMissingValues() throws {
        // Two in-memory chunks (over 2 MiB): the second holds only missing values of a column forced to text.
        var s = "id,label\n"
        for i in 0..<150_000 { s += "\(i),v\(i % 7)\n" }
        for i in 0..<150_000 { s += "\(i),\n" }
        var options = CSVOptions()
        options.types = ["label": .text]
        options.threads = 2
        let (frame, _) = try CSVReader.read(bytes: Array(s.utf8), file: "t.csv", options: options)
        #expect(frame.rowCount == 300_000)
        #expect(frame.columns[1].nullCount == 150_000)
    }
}

/// Text columns are joined window by window while the file is read (`TextJoiner`): the codes and the dictionary's
/// order (first appearance) are exactly the in-memory reader's, whether a column is text from the start, turns
/// text in a later window (its earlier windows parsed again), or has a window of only missing values; and invalid
/// UTF-8 in a late window is the same error naming the same line.
@Suite struct TextJoinedWhileReadingTests {
    static func text(rows: Int, bad: Int? = nil) -> String {
        var s = "id,user,late,sparse,note\n"
        for i in 0..<rows {
            let late = i < rows * 3 / 4 ? "\(i % 50)" : "w\(i % 40)"
            let sparse = i >= rows / 3 && i < rows / 2 ? "" : "s\(i % 9)"
            let note = i % 5 == 0 ? "\"a, \"\"b\"\"\nc\(i % 3)\"" : "n\(i % 11)"
            let user = i == bad ? "u\u{FF}x" : "u\((i * 7919) % 997)"
            s += "id\(i * 31 % rows),\(user),\(late),\(sparse),\(note)\n"
        }
        return s
    }

    static func texts(_ f: Frame) -> [String] {
        f.columns.map { c in
            guard case .text(let codes, let dictionary) = c.storage else { return "\(c.name) \(c.type)" }
            // A missing row's code is never read (and differs between readers), so it is left out.
            let valid = codes.indices.map { c.isValid($0) ? Int(codes[$0]) : -1 }
            return "\(c.name) \(valid) \(Array(dictionary)) \(c.nullCount)"
        }
    }

    @Test func codesAndDictionariesAreTheInMemoryOnes() throws {
        let s = Self.text(rows: 6000)
        let bytes = Array(s.utf8)
        var o = CSVOptions()
        o.threads = 2
        let (memory, _) = try CSVReader.read(bytes: bytes, file: "t.csv", options: o)
        #expect(memory.columns[2].type == .text)
        let dir = TempDir()
        let path = dir.file("t.csv", bytes)
        for window in [700, 4096, 20_000] {
            let (streamed, _) = try CSVFileReader.read(path: path, options: o, fileExtension: "csv", window: window)
            let (a, b) = (Self.texts(streamed), Self.texts(memory))
            for k in a.indices where a[k] != b[k] { Issue.record("window \(window): column \(k) differs") }
            #expect(a.count == b.count)
        }
    }

    @Test func invalidUTF8InALateWindowNamesItsLine() throws {
        let s = Self.text(rows: 6000, bad: 5000)
        var bytes = Array(s.utf8)
        // "\u{FF}" is two bytes in UTF-8 (C3 BF); make it a lone 0xFF.
        if let k = bytes.indices.first(where: { bytes[$0] == 0xC3 && bytes[$0 + 1] == 0xBF }) { bytes.replaceSubrange(k...(k + 1), with: [0xFF]) }
        var o = CSVOptions()
        o.threads = 2
        let memory = Result { try CSVReader.read(bytes: bytes, file: "test.csv", options: o) }
        #expect(outcome(memory).contains("UTF-8"))
        expectSameFromFile(bytes, options: o, as: memory, windows: [])
        let dir = TempDir()
        let path = dir.file("t.csv", bytes)
        for window in [700, 4096] {
            let streamed = Result { try CSVFileReader.read(path: path, options: o, fileExtension: "csv", window: window) }
            #expect(outcome(streamed).replacingOccurrences(of: path, with: "test.csv") == outcome(memory), "window \(window)")
        }
    }
}

/// A chunk whose values are nearly all distinct stops looking them up and keeps every value (`TextInterner`'s
/// `keepsEveryValue`); merged into the column's interner, repeats still share one code: the dictionary holds each
/// value once, in order of first appearance, in memory and from a file in windows.
@Suite struct NearlyDistinctTextTests {
    @Test func repeatsInANearlyDistinctColumnShareOneCode() throws {
        var s = "key,n\n"
        var rows: [String] = []
        for i in 0..<60_000 {
            let key = i % 25 == 24 ? "k\(i / 3)" : "k\(i)"  // a few values repeat earlier ones
            rows.append(key)
            s += "\(key),\(i)\n"
        }
        var firstSeen: [String] = []
        var seen = Set<String>()
        for r in rows where seen.insert(r).inserted { firstSeen.append(r) }
        let bytes = Array(s.utf8)
        let dir = TempDir()
        let path = dir.file("keys.csv", bytes)
        var o = CSVOptions()
        o.threads = 2
        let readings = [try CSVReader.read(bytes: bytes, file: "t.csv", options: o).0]
            + (try [40_000, 200_000].map { try CSVFileReader.read(path: path, options: o, fileExtension: "csv", window: $0).0 })
        for frame in readings {
            guard case .text(let codes, let dictionary) = frame.columns[0].storage else {
                Issue.record("key should be text")
                continue
            }
            #expect(Array(dictionary) == firstSeen)
            #expect(codes.map { dictionary[Int($0)] } == rows)
        }
    }
}
