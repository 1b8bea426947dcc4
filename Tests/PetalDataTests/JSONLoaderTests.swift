import Foundation
import PetalTestSupport
import Testing
@testable import PetalData

/// JSON and NDJSON loading: parsing, flattening, type inference and error reporting.
@Suite struct JSONLoaderTests {
    static let repoRoot = RepoPaths.root

    /// Parses `text` as a JSON document.
    func json(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) throws -> LoadResult {
        try JSONLoader.read(bytes: Array(text.utf8), file: "data.json", maxDepth: maxDepth)
    }

    /// Parses `text` as NDJSON.
    func ndjson(_ text: String) throws -> LoadResult {
        try NDJSONLoader.read(bytes: Array(text.utf8), file: "data.ndjson")
    }

    /// The error thrown by `body`, or nil.
    func dataError(_ body: () throws -> Any) -> PetalError? {
        do { _ = try body(); return nil } catch let e as PetalError { return e } catch { return nil }
    }

    func frame(_ result: LoadResult) throws -> Frame { try #require(result.frame) }

    // MARK: - Samples and shapes

    @Test func carsNDJSONSample() throws {
        let path = Self.repoRoot.appendingPathComponent("samples/cars.ndjson").path
        #expect(try Loaders.loader(for: path, options: LoadOptions()).formatName == "ndjson")
        let result = try Loaders.load(path: path)
        let f = try frame(result)
        #expect(f.rowCount == 406)
        #expect(f.columnNames == ["name", "origin", "year", "engine.cylinders", "engine.displacement", "engine.horsepower",
                                  "performance.mpg", "performance.acceleration", "weight_lbs"])
        #expect(try f.requireColumn("engine.cylinders").type == .int)
        let mpg = try f.requireColumn("performance.mpg")
        #expect(mpg.type == .float)
        #expect(mpg.nullCount > 0)
        let year = try f.requireColumn("year")
        #expect(year.type == .date)
        #expect(year[0].plainText == "1970-01-01")
        #expect(try f.requireColumn("name").type == .text)
        #expect(f.columns[0][0] == .text("chevrolet chevelle malibu"))
    }

    @Test func arrayOfObjects() throws {
        let f = try frame(json(#"[{"a": 1, "b": "x"}, {"a": 2.5, "c": true}, {"b": "y", "a": -3}]"#))
        #expect(f.columnNames == ["a", "b", "c"])
        #expect(f.rowCount == 3)
        #expect(try f.requireColumn("a").type == .float)
        #expect(try f.requireColumn("a")[2] == .float(-3))
        #expect(try f.requireColumn("b")[1] == .null)
        #expect(try f.requireColumn("c").type == .bool)
        #expect(try f.requireColumn("c")[0] == .null)
        #expect(try f.requireColumn("c")[1] == .bool(true))
    }

    @Test func nestedObjectsFlattenAndArraysBecomeText() throws {
        let result = try json("""
            [{"id": 1, "engine": {"cyl": 4, "specs": {"hp": 100}}, "tags": ["x", "y"]},
             {"id": 2, "engine": null, "tags": []},
             {"id": 3, "engine": {"cyl": 6}}]
            """)
        let f = try frame(result)
        #expect(f.columnNames == ["id", "engine.cyl", "engine.specs.hp", "tags"])
        #expect(try f.requireColumn("engine.cyl").type == .int)
        #expect(try f.requireColumn("engine.cyl")[1] == .null)
        #expect(try f.requireColumn("engine.specs.hp")[2] == .null)
        let tags = try f.requireColumn("tags")
        #expect(tags.type == .text)
        #expect(tags[0] == .text(#"["x","y"]"#))
        #expect(tags[1] == .text("[]"))
        #expect(tags[2] == .null)
        let arrayWarnings = result.warnings.filter { $0.message.contains("JSON arrays") }
        #expect(arrayWarnings.count == 1)
        #expect(arrayWarnings.first?.description.contains("$[0].tags") == true)
    }

    @Test func wrappedRecordsUnderOneKey() throws {
        let result = try json(#"{"meta": {"n": 2}, "data": [{"a": 1}, {"a": 2}]}"#)
        #expect(try frame(result).rowCount == 2)
        #expect(result.warnings.contains { $0.message.contains("\"data\"") && $0.message.contains("\"meta\"") })
        let several = dataError { try json(#"{"a": [{"x": 1}], "b": [{"y": 2}]}"#) }
        #expect(several?.message.contains("several keys") == true)
        let single = dataError { try json(#"{"a": 1}"#) }
        #expect(single?.message.contains("single object") == true)
    }

    @Test func typeInference() throws {
        let f = try frame(json("""
            [{"i": 9223372036854775807, "big": 9223372036854775808, "e": 1e2, "z": -0, "n": null,
              "d": "2020-02-29", "t": "2020-01-01T10:30:00Z", "s": "2020-01-01 or so"},
             {"i": 1, "big": 1, "e": 2, "z": 5, "n": null, "d": null, "t": "2020-01-02 11:00", "s": "x"}]
            """))
        #expect(try f.requireColumn("i").type == .int)
        #expect(try f.requireColumn("i")[0] == .int(Int64.max))
        #expect(try f.requireColumn("big").type == .float)
        #expect(try f.requireColumn("e").type == .float)
        #expect(try f.requireColumn("z").type == .int)
        let n = try f.requireColumn("n")
        #expect(n.type == .float && n.nullCount == 2)
        #expect(try f.requireColumn("d").type == .date)
        #expect(try f.requireColumn("t").type == .datetime)
        #expect(try f.requireColumn("s").type == .text)
    }

    @Test func stringEscapes() throws {
        let f = try frame(json(#"[{"s": "q\"b\\s\/ \u00e9\ud83d\ude00\n\t", "k\u0041": 1}]"#))
        #expect(try f.requireColumn("s")[0] == .text("q\"b\\s/ é😀\n\t"))
        #expect(f.columnNames.contains("kA"))
        let lone = dataError { try json(#"[{"s": "x\ud83d y"}]"#) }
        #expect(lone?.message.contains("unpaired surrogate") == true)
        #expect(lone?.location?.column == 10)
        let badEscape = dataError { try json(#"[{"s": "C:\data"}]"#) }
        #expect(badEscape?.message.contains("invalid escape") == true)
    }

    @Test func mixedTypesBecomeTextWithAWarning() throws {
        let result = try json(#"[{"engine": {"hp": 130}}, {"engine": {"hp": 165}}, {"engine": {"hp": "n/a"}}, {"engine": {"hp": true}}]"#)
        let hp = try frame(result).requireColumn("engine.hp")
        #expect(hp.type == .text)
        #expect(hp[0] == .text("130"))
        #expect(hp[2] == .text("n/a"))
        #expect(hp[3] == .text("true"))
        let warning = try #require(result.warnings.first { $0.message.contains("mixes") })
        #expect(warning.message.contains("\"engine.hp\""))
        #expect(warning.location?.path == "$[2].engine.hp")
        #expect(warning.description.contains("$[2].engine.hp"))

        let nd = try ndjson("{\"a\": 1}\n\n{\"a\": {\"b\": 1}}\n{\"a\": \"x\"}\n")
        let ndWarning = try #require(nd.warnings.first { $0.message.contains("mixes") })
        #expect(ndWarning.location?.line == 4)
        #expect(ndWarning.location?.field == "a")
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        let result = try json(#"[{"a": 1, "a": 2}, {"a": 3}]"#)
        #expect(try frame(result).requireColumn("a")[0] == .int(2))
        #expect(result.warnings.contains { $0.message.contains("more than once") })
    }

    // MARK: - Errors

    @Test func syntaxErrorReportsLineAndColumn() throws {
        let e = try #require(dataError { try json("[\n  {\"a\": 1, \"b\": 2},\n  {\"a\": 3 \"b\": 4}\n]\n") })
        #expect(e.message.hasPrefix("expected ',' or '}' after an object member"))
        #expect(e.location?.line == 3)
        #expect(e.location?.column == 11)
        #expect(e.hint != nil)
        #expect(e.description.hasPrefix("data.json, line 3, column 11: expected ',' or '}'"))

        let trailing = try #require(dataError { try json("[{\"a\": 1,}]") })
        #expect(trailing.message.contains("comma before '}'"))
        let unclosed = try #require(dataError { try json("[{\"a\": 1}") })
        #expect(unclosed.message.contains("ends inside an array opened at line 1, column 1"))
        let pythonic = try #require(dataError { try json("[{\"a\": True}]") })
        #expect(pythonic.hint?.contains("lowercase") == true)
        let leadingZero = try #require(dataError { try json("[{\"a\": 012}]") })
        #expect(leadingZero.location?.column == 8)
        let after = try #require(dataError { try json("[{\"a\": 1}] x") })
        #expect(after.message.contains("after the end of the JSON data"))
        let scalar = try #require(dataError { try json("42") })
        #expect(scalar.message.contains("a number, not a list of records"))
        let notObjects = try #require(dataError { try json("[{\"a\": 1}, 2]") })
        #expect(notObjects.location?.path == "$[1]")
    }

    @Test func ndjsonBadLineIsNamed() throws {
        let e = try #require(dataError { try ndjson("{\"a\": 1}\n\n{\"a\": 2}\n{\"a\": 3,}\n{\"a\": 4}\n") })
        #expect(e.location?.line == 4)
        let unclosed = try #require(dataError { try ndjson("{\"a\": 1}\n{\"a\": 2\n{\"a\": 3}\n") })
        #expect(unclosed.location?.line == 2)
        #expect(unclosed.message.contains("line 2"))
        let comma = try #require(dataError { try ndjson("{\"a\": 1},\n{\"a\": 2}\n") })
        #expect(comma.location?.line == 1)
        #expect(comma.hint?.contains("no comma") == true)
        let array = try #require(dataError { try ndjson("{\"a\": 1}\n[1, 2]\n") })
        #expect(array.message == "line 2 holds an array, not a JSON object")
    }

    @Test func invalidUTF8AndBinary() throws {
        let bytes: [UInt8] = Array(#"[{"a": "caf"#.utf8) + [0xE9] + Array(#""}]"#.utf8)
        let e = try #require(dataError { try JSONLoader.read(bytes: bytes, file: "data.json") })
        #expect(e.message.contains("invalid UTF-8"))
        #expect(e.location?.line == 1)
        #expect(e.location?.column == 12)
        let nul = try #require(dataError { try JSONLoader.read(bytes: [0x5B, 0x0A, 0x7B, 0x00, 0x7D, 0x5D], file: "data.json") })
        #expect(nul.message.contains("NUL byte"))
        #expect(nul.location?.line == 2)
        let utf16 = try #require(dataError { try JSONLoader.read(bytes: [0xFF, 0xFE, 0x5B, 0x00], file: "data.json") })
        #expect(utf16.message.contains("UTF-16"))
    }

    @Test func depthLimit() throws {
        let deep = String(repeating: "[", count: 100_000)
        let e = try #require(dataError { try json("[{\"a\": \(deep)") })
        #expect(e.message.contains("512 levels"))
        let shallow = try #require(dataError { try json("[{\"a\": [[[1]]]}]", maxDepth: 3) })
        #expect(shallow.message.contains("3 levels"))
        #expect(try frame(json("[{\"a\": [1]}]", maxDepth: 3)).rowCount == 1)
        // Just under the default limit loads (and the array is kept as text).
        let nested = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(try frame(json("[{\"a\": \(nested)}]")).requireColumn("a")[0] == .text(nested))
    }

    @Test func emptyInputs() throws {
        #expect(dataError { try json("") }?.message == "the file is empty")
        #expect(dataError { try json("  \n\t ") }?.message == "the file holds only whitespace")
        #expect(dataError { try json(" [ ] ") }?.message.contains("no records") == true)
        #expect(dataError { try ndjson("\n\n") }?.message == "the file holds only whitespace")
        #expect(dataError { try json("[{}, {}]") }?.message.contains("no fields") == true)
    }

    // MARK: - Format detection

    @Test func sniffing() throws {
        let nd = Array("{\"a\": 1}\n{\"a\": 2}\n".utf8)
        #expect(NDJSONLoader.sniff(nd))
        #expect(!JSONLoader.sniff(nd))
        let pretty = Array("{\n  \"data\": [\n {\"a\": 1}\n]\n}\n".utf8)
        #expect(JSONLoader.sniff(pretty))
        #expect(!NDJSONLoader.sniff(pretty))
        #expect(JSONLoader.sniff(Array("\u{FEFF}  [{\"a\": 1}]".utf8)))
        #expect(!JSONLoader.sniff(Array("a,b\n1,2\n".utf8)))
        #expect(!NDJSONLoader.sniff(Array("{\"a\": 1}\n".utf8)))
        // The second line may be cut off by the end of the sniffed head.
        #expect(NDJSONLoader.sniff(Array("{\"a\": 1}\n{\"a\": 2, \"b\": \"long".utf8)))
    }

    @Test func jsonLoaderFallsBackToNDJSON() throws {
        let result = try json("{\"a\": 1}\n{\"a\": 2}\n")
        #expect(try frame(result).rowCount == 2)
        #expect(result.warnings.first?.message.contains("NDJSON") == true)
        let one = try JSONLoader.read(bytes: Array("{\"a\": 1}\n".utf8), file: "one.jsonl", fileExtension: "jsonl")
        #expect(try frame(one).rowCount == 1)
    }

    @Test func loadsThroughTheRegistry() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cars.json").path
        try Data("[{\"x\": 1}, {\"x\": 2}]".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try Loaders.loader(for: path, options: LoadOptions()).formatName == "json")
        #expect(try Loaders.load(path: path).frame?.rowCount == 2)
        let e = try #require(dataError { try Loaders.load(path: dir.appendingPathComponent("missing.json").path) })
        #expect(e.message == "no such file")
    }
}
