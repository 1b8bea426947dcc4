import Foundation

/// A JSON document holding a list of records: `[{...}, {...}]`, or an object whose one list-valued key holds
/// them (`{"data": [...]}`). Nested objects become dotted columns; see `JSONTableBuilder`.
public enum JSONLoader: FrameWritingLoader {
    public static let formatName = "json"
    public static let fileExtensions = ["json"]
    public static let mediaTypes = ["application/json", "text/json"]

    /// True when the first non-space byte is `[`, or `{` in a file that is not one object per line.
    public static func sniff(_ head: [UInt8]) -> Bool {
        guard let first = JSONInput.firstNonSpace(head) else { return false }
        if first == UInt8(ascii: "[") { return true }
        return first == UInt8(ascii: "{") && !NDJSONLoader.sniff(head)
    }

    public static func load(path: String, options: LoadOptions) throws -> LoadResult {
        let bytes = try FileCheck.readAll(path)
        return try read(bytes: bytes, file: path, fileExtension: (path as NSString).pathExtension)
    }

    public static func write(_ frame: Frame, to path: String) throws {
        try FrameWriter.writeAtomically(Array(FrameWriter.json(frame, lines: false).utf8), to: path)
    }

    /// Parses a JSON document into a frame. `file` names the source in errors and warnings.
    static func read(bytes: [UInt8], file: String, fileExtension: String = "json",
                     maxDepth: Int = JSONParser.defaultMaxDepth) throws -> LoadResult {
        let start = try JSONInput.prepare(bytes, file: file, format: "JSON")
        var parser = JSONParser(bytes: bytes, file: file, start: start, maxDepth: maxDepth)
        parser.skipWhitespace()
        var table = JSONTableBuilder(file: file)
        switch parser.peek {
        case UInt8(ascii: "["):
            try parser.parseArrayElements(depth: 1) { value, i, line in
                try table.addRecord(value, origin: .element(prefix: "$", index: i), line: line)
            }
            try expectEnd(&parser, closer: "]")
            guard table.rowCount > 0 else {
                throw PetalError("the JSON array is empty: there are no records", at: SourceLocation(file: file),
                                hint: "add records like [{\"a\": 1}, {\"a\": 2}]")
            }
        case UInt8(ascii: "{"):
            let value = try parser.parseValue()
            parser.skipWhitespace()
            let ext = fileExtension.lowercased()
            if parser.peek == UInt8(ascii: "{") || (parser.isAtEnd && NDJSONLoader.fileExtensions.contains(ext)) {
                // One object per line: read it as NDJSON.
                var result = try NDJSONLoader.read(bytes: bytes, file: file, maxDepth: maxDepth)
                if !parser.isAtEnd {
                    result.warnings.insert(DataWarning("the file holds one JSON object per line; reading it as NDJSON",
                                                       at: SourceLocation(file: file)), at: 0)
                }
                return result
            }
            try expectEnd(&parser, closer: "}")
            try addWrappedRecords(value, to: &table)
        default:
            let value = try parser.parseValue()
            throw PetalError("the JSON holds \(value.kindDescription), not a list of records", at: SourceLocation(file: file, line: 1),
                            hint: "expected a list of objects like [{\"a\": 1}, {\"a\": 2}], or one object per line (NDJSON)")
        }
        let (frame, warnings) = try table.build()
        return LoadResult(frame: frame, warnings: warnings)
    }

    /// Throws unless only whitespace follows the document.
    private static func expectEnd(_ parser: inout JSONParser, closer: String) throws {
        parser.skipWhitespace()
        guard parser.isAtEnd else {
            throw parser.error("unexpected \(parser.foundDescription()) after the end of the JSON data",
                               hint: "a JSON file holds one value; remove what follows the closing '\(closer)'")
        }
    }

    /// Takes the records from the one key of `value` that holds a list of objects, saying which in a warning.
    private static func addWrappedRecords(_ value: JSONValue, to table: inout JSONTableBuilder) throws {
        let file = table.file
        guard case .object(let members) = value else { return }
        let lists = members.filter { $0.1.isArray }
        let listsOfObjects = lists.filter { m in
            guard case .array(let items) = m.1 else { return false }
            return !items.isEmpty && items.allSatisfy { if case .object = $0 { return true }; return false }
        }
        let chosen: (key: String, value: JSONValue)
        if lists.count == 1, let only = lists.first {
            chosen = (only.0, only.1)
        } else if listsOfObjects.count == 1, let only = listsOfObjects.first {
            chosen = (only.0, only.1)
        } else if lists.isEmpty {
            throw PetalError("the JSON is a single object, not a list of records", at: SourceLocation(file: file, line: 1),
                            hint: "expected a list of objects like [{\"a\": 1}, {\"a\": 2}], an object with one list of records "
                                + "such as {\"data\": [...]}, or one object per line (NDJSON)")
        } else {
            let keys = lists.map { "\"\($0.0)\"" }.joined(separator: ", ")
            throw PetalError("the JSON object has several keys holding lists (\(keys)); cannot tell which holds the records",
                            at: SourceLocation(file: file, line: 1),
                            hint: "keep only the list of records, or save it on its own as [{...}, {...}]")
        }
        let prefix = "$" + JSONTableBuilder.pathSuffix([chosen.key])
        let others = members.filter { $0.0 != chosen.key }.map { "\"\($0.0)\"" }
        var note = "reading the records from the key \"\(chosen.key)\""
        if !others.isEmpty { note += "; ignoring the other key\(others.count == 1 ? "" : "s") \(others.joined(separator: ", "))" }
        table.warnings.append(DataWarning(note, at: SourceLocation(file: file, path: prefix)))
        guard case .array(let items) = chosen.value, !items.isEmpty else {
            throw PetalError("the list under \"\(chosen.key)\" is empty: there are no records", at: SourceLocation(file: file, path: prefix),
                            hint: "add records like {\"\(chosen.key)\": [{\"a\": 1}, {\"a\": 2}]}")
        }
        for (i, item) in items.enumerated() {
            try table.addRecord(item, origin: .element(prefix: prefix, index: i))
        }
    }
}

/// Newline-delimited JSON (JSON Lines): one object per line; blank lines are skipped.
public enum NDJSONLoader: FrameWritingLoader {
    public static let formatName = "ndjson"
    public static let fileExtensions = ["ndjson", "jsonl"]
    public static let mediaTypes = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines"]

    /// True when the first two non-blank lines each start with `{` and end with `}` (the second may be cut
    /// off by the end of `head`).
    public static func sniff(_ head: [UInt8]) -> Bool {
        var lines: [ArraySlice<UInt8>] = []
        var complete: [Bool] = []
        var start = JSONInput.bomLength(head)
        while start < head.count && lines.count < 2 {
            let end = head[start...].firstIndex(of: 0x0A) ?? head.count
            var a = start, b = end
            while a < b, JSONInput.isSpace(head[a]) { a += 1 }
            while b > a, JSONInput.isSpace(head[b - 1]) { b -= 1 }
            if a < b {
                lines.append(head[a..<b])
                complete.append(end < head.count)
            }
            start = end + 1
        }
        guard lines.count == 2 else { return false }
        for (line, whole) in zip(lines, complete) {
            guard line.first == UInt8(ascii: "{") else { return false }
            if whole && line.last != UInt8(ascii: "}") { return false }
        }
        return complete[0]
    }

    public static func load(path: String, options: LoadOptions) throws -> LoadResult {
        let bytes = try FileCheck.readAll(path)
        return try read(bytes: bytes, file: path)
    }

    public static func write(_ frame: Frame, to path: String) throws {
        try FrameWriter.writeAtomically(Array(FrameWriter.json(frame, lines: true).utf8), to: path)
    }

    /// Parses NDJSON text into a frame. `file` names the source in errors and warnings.
    static func read(bytes: [UInt8], file: String, maxDepth: Int = JSONParser.defaultMaxDepth) throws -> LoadResult {
        let start = try JSONInput.prepare(bytes, file: file, format: "NDJSON")
        var parser = JSONParser(bytes: bytes, file: file, start: start, maxDepth: maxDepth)
        var table = JSONTableBuilder(file: file)
        while true {
            parser.skipWhitespace()
            guard let first = parser.peek else { break }
            let line = parser.line
            let value: JSONValue
            do {
                value = try parser.parseValue()
            } catch let error as PetalError where (error.location?.line ?? line) != line {
                // The object on this line is not closed on it; report the line where the record starts.
                let detail = error.location.map { "line \($0.line ?? line), column \($0.column ?? 1)" } ?? "a later line"
                throw PetalError("the record on line \(line) does not end on that line (then at \(detail): \(error.message))",
                                at: SourceLocation(file: file, line: line),
                                hint: "each line of an NDJSON file holds one complete JSON object; check line \(line) for a missing '}' or '\"'")
            }
            guard first == UInt8(ascii: "{") else {
                throw PetalError("line \(line) holds \(value.kindDescription), not a JSON object", at: SourceLocation(file: file, line: line, column: 1),
                                hint: value.isArray ? "an NDJSON file holds one object per line; if this is one JSON array, open it with format=json"
                                    : "an NDJSON file holds one JSON object per line, like {\"a\": 1}")
            }
            parser.skipSpacesInLine()
            if let next = parser.peek, next != 0x0A {
                throw parser.error("expected the end of line \(line) after its object, found \(parser.foundDescription())",
                                   hint: next == UInt8(ascii: ",") ? "NDJSON lines end after the object, with no comma"
                                       : "put each record on its own line")
            }
            try table.addRecord(value, origin: .line(line), line: line)
        }
        let (frame, warnings) = try table.build()
        return LoadResult(frame: frame, warnings: warnings)
    }
}

/// Checks shared by the JSON and NDJSON loaders before parsing.
enum JSONInput {
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    /// 3 when `bytes` start with a UTF-8 byte-order mark, else 0.
    static func bomLength(_ bytes: [UInt8]) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }

    /// The first byte that is not whitespace (after a byte-order mark), if any.
    static func firstNonSpace(_ bytes: [UInt8]) -> UInt8? {
        bytes[bomLength(bytes)...].first { !isSpace($0) }
    }

    /// Rejects empty, whitespace-only, UTF-16 and binary input; returns where the text starts (after a BOM).
    static func prepare(_ bytes: [UInt8], file: String, format: String) throws -> Int {
        let example = format == "NDJSON" ? "one object per line, like {\"a\": 1}" : "a list of records, like [{\"a\": 1}, {\"a\": 2}]"
        guard !bytes.isEmpty else {
            throw PetalError("the file is empty", at: SourceLocation(file: file), hint: "a \(format) data file holds \(example)")
        }
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            throw PetalError("the file is UTF-16 text; Petal reads \(format) as UTF-8", at: SourceLocation(file: file),
                            hint: "re-save the file as UTF-8 (e.g. iconv -f utf-16 -t utf-8)")
        }
        if let nul = bytes.firstIndex(of: 0) {
            let parser = JSONParser(bytes: bytes, file: file)
            throw parser.error("found a NUL byte: this looks like a binary file, not \(format) text", at: parser.mark(at: nul),
                               hint: "check that the file really is \(format); if it is UTF-16, re-save it as UTF-8")
        }
        let start = bomLength(bytes)
        guard bytes[start...].contains(where: { !isSpace($0) }) else {
            throw PetalError("the file holds only whitespace", at: SourceLocation(file: file), hint: "a \(format) data file holds \(example)")
        }
        return start
    }
}

extension JSONLoader {
    /// Parses the bytes of a JSON document (not a file) into a frame, as `load` does; for fuzzing and embedders.
    public static func parse(bytes: [UInt8], file: String) throws -> LoadResult { try read(bytes: bytes, file: file) }
}

extension NDJSONLoader {
    /// Parses NDJSON bytes (not a file) into a frame, as `load` does; for fuzzing and embedders.
    public static func parse(bytes: [UInt8], file: String) throws -> LoadResult { try read(bytes: bytes, file: file) }
}
