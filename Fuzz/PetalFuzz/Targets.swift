import Foundation
import PetalBundle
import PetalData
import PetalML
import PetalServe
import PetalSession
import PetalTracking

/// One parser that takes outside input: how to run an input through it, and tokens worth inserting.
/// A target may throw any error (bad input is expected); only a crash, a hang or a trap is a finding.
struct FuzzTarget {
    var name: String
    var dictionary: [String]
    var run: ([UInt8]) throws -> Void
}

/// What the targets share, made once: a small frame for filters, a tracking store for run filters, a served
/// model for request bodies, a bundle folder for manifests.
final class FuzzFixtures {
    let frame: Frame
    let store: TrackingStore
    let keys: KnownKeys
    let prepared: PreparedModel
    let bundleFolder: URL
    let scratch: String

    init(corpus: String) throws {
        scratch = NSTemporaryDirectory() + "petal-fuzz-\(getpid())"
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let csv = "a,b,c,d,e\n1,1.5,x,true,2024-01-02\n2,,y,false,2024-03-04\n3,nan,\" \",true,\n-4,1e300,z,,2023-12-31\n"
        frame = try CSVReader.read(bytes: Array(csv.utf8), file: "fuzz.csv").0
        store = try TrackingStore(folder: scratch + "/tracking", clock: .counting())
        for k in [3, 5] {
            let id = try store.startRun(RunStart(kind: "fit", pipelineName: "p", pipeline: "knn", dataset: "iris", fingerprint: "f",
                                                 seed: 1, petalVersion: "fuzz", commands: [], params: [("knn.n_neighbors", "\(k)")]),
                                        experiment: "default")
            try store.logMetrics([MetricPoint("accuracy", 0.9)], run: id)
            try store.setTags([("stage", "final")], run: id)
        }
        keys = try store.knownKeys()
        prepared = PreparedModel(FuzzModel(), maxBodyBytes: 1 << 22)
        // The manifest target replaces petal.json in a copy of a real bundle (its other files stay valid).
        bundleFolder = URL(fileURLWithPath: scratch + "/bundle")
        try FileManager.default.createDirectory(at: bundleFolder, withIntermediateDirectories: true)
        let seedBundle = corpus + "/manifest/../bundle-files"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: seedBundle)) ?? [] {
            try? FileManager.default.copyItem(atPath: seedBundle + "/" + file, toPath: bundleFolder.path + "/" + file)
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: scratch) }
}

/// A model to serve request bodies against: a number, a category and a text input, nullable number.
struct FuzzModel: ServableModel {
    var description: ModelDescription {
        ModelDescription(name: "fuzz", version: "1",
                         inputs: [RequestField(name: "sepal_length", kind: .number, nullable: false),
                                  RequestField(name: "island", kind: .category(["Biscoe", "Dream"]), nullable: false),
                                  RequestField(name: "note", kind: .text, nullable: true),
                                  RequestField(name: "width", kind: .number, nullable: true)],
                         classes: ["a", "b"], task: .classification)
    }
    func predict(_ frame: Frame) throws -> Predictions {
        .classes(codes: Array(repeating: 0, count: frame.rowCount), probabilities: Array(repeating: 0.5, count: frame.rowCount * 2))
    }
}

enum FuzzTargets {
    static let jsonTokens = ["{", "}", "[", "]", ":", ",", "\"", "\\u", "\\ud800", "null", "true", "1e999", "-0", "\"a\":", "{\"a\":", "[[", "\n"]

    /// A reading's error, or its columns' names, types and every value, as text to compare.
    static func outcome(_ read: () throws -> (Frame, [DataWarning])) -> String {
        do {
            let (frame, warnings) = try read()
            var s = warnings.map { "\($0)" }.joined(separator: "\n")
            for c in frame.columns {
                s += "\n\(c.name) \(c.type):"
                for i in 0..<c.count {
                    guard c.isValid(i) else { s += " -"; continue }
                    switch c.storage {
                    case .int(let v): s += " \(v[i])"
                    case .float(let v): s += " \(v[i].bitPattern)"
                    case .bool(let v): s += " \(v[i])"
                    case .datetime(let v, _): s += " \(v[i])"
                    case .text(let codes, let dictionary): s += " [\(dictionary[Int(codes[i])])]"
                    }
                }
            }
            return s
        } catch {
            return "error: \(error)"
        }
    }

    static func all(_ f: FuzzFixtures) -> [FuzzTarget] {
        [
            FuzzTarget(name: "csv", dictionary: ["\"", ",", "\r", "\n", "\r\n", "\"\"", ";", "\t", "NA", " ", "1e5", "\u{FEFF}", "\0", "true"]) { bytes in
                var options = CSVOptions()
                options.threads = 1 + (bytes.first.map { Int($0) & 1 } ?? 0)
                _ = try CSVReader.read(bytes: bytes, file: "fuzz.csv", options: options)
                options.hasHeader = false
                options.onBadLines = .warn
                _ = try CSVReader.read(bytes: bytes, file: "fuzz.csv", options: options)
            },
            // The file reader (`open`): windows of a few bytes, so records straddle them; it must read what the
            // in-memory reader reads (a difference traps, and the input is saved like a crash).
            FuzzTarget(name: "csvfile", dictionary: ["\"", ",", "\r", "\n", "\r\n", "\"\"", ";", "NA", "1e5", "\u{FEFF}", "x", "1.5"]) { bytes in
                let path = NSTemporaryDirectory() + "petal-fuzz-\(getpid()).csv"
                FileManager.default.createFile(atPath: path, contents: Data(bytes))
                defer { unlink(path) }
                var options = CSVOptions()
                options.threads = 1 + (bytes.first.map { Int($0) & 1 } ?? 0)
                let memory = FuzzTargets.outcome { try CSVReader.read(bytes: bytes, file: path, options: options) }
                let file = FuzzTargets.outcome { try CSVFileReader.read(path: path, options: options, window: 1 + bytes.count % 13) }
                precondition(memory == file, "the file reader read differently:\n\(memory)\n---\n\(file)")
            },
            // Parquet: footer, page headers and every encoding of the seeds (pyarrow's, polars' and Petal's files).
            FuzzTarget(name: "parquet", dictionary: ["PAR1", "\u{15}", "\u{19}", "\u{1C}", "\u{0}", "\u{FF}\u{FF}\u{FF}\u{7F}", "\u{8}"]) { bytes in
                _ = try ParquetReader.read(bytes: bytes, file: "fuzz.parquet")
            },
            FuzzTarget(name: "json", dictionary: jsonTokens) { bytes in
                _ = try JSONLoader.parse(bytes: bytes, file: "fuzz.json")
            },
            FuzzTarget(name: "ndjson", dictionary: jsonTokens) { bytes in
                _ = try NDJSONLoader.parse(bytes: bytes, file: "fuzz.ndjson")
            },
            FuzzTarget(name: "command", dictionary: ["\"", "'", "\\", ";", "#", " as ", "=", "sep=", "\n", "open ", "filter "]) { bytes in
                let text = String(decoding: bytes, as: UTF8.self)
                for command in Tokenizer.commands(text) {
                    guard let tokens = try? Tokenizer.tokens(command), !tokens.isEmpty else { continue }
                    let args = try Arguments(tokens: tokens)
                    _ = try? args.checkOptions(OpenCommand.options, syntax: "x")
                    _ = try? args.int(CommandOption("limit", .integer(0...10), default: "1", help: "fuzz"))
                    _ = try? args.bool(CommandOption("header", .flag, default: "true", help: "fuzz"))
                    _ = try? args.number(CommandOption("test", .number(.from(0, below: 1)), default: "0.2", help: "fuzz"))
                    _ = try? args.choice(CommandOption("every", .choice(["day", "week"]), default: "day", help: "fuzz"))
                }
            },
            FuzzTarget(name: "filter", dictionary: ["(", ")", "not ", " and ", " or ", "a", "b", "c", "d", "e", " > ", " == ", "!=", "\"",
                                                    "'", "nan", "inf", " is null", " in (", ",", "2024-01-02", "1e999", "-"]) { bytes in
                let expression = try RowExpression.parse(String(decoding: bytes, as: UTF8.self))
                let predicate = try expression.predicate(for: f.frame)
                for row in 0..<f.frame.rowCount { _ = predicate(row) }
            },
            FuzzTarget(name: "runfilter", dictionary: ["(", ")", "NOT ", " AND ", " OR ", "params.", "metrics.", "tags.", "accuracy",
                                                       "n_neighbors", " IN (", " LIKE ", " IS NULL", "'", "\"", "`", "=", "<>", "1e5"]) { bytes in
                let filter = try RunFilterParser.parse(String(decoding: bytes, as: UTF8.self), keys: f.keys)
                _ = try f.store.runs(where: filter)
            },
            FuzzTarget(name: "request", dictionary: jsonTokens + ["\"dataframe_records\":", "\"dataframe_split\":", "\"instances\":",
                                                                  "\"inputs\":", "\"columns\":", "\"data\":", "\"sepal_length\":", "\"island\":",
                                                                  "\"Biscoe\"", "NaN", "Infinity"]) { bytes in
                _ = try? f.prepared.decode(bytes)
                _ = try? f.prepared.decode(bytes, csv: true)
            },
            FuzzTarget(name: "manifest", dictionary: jsonTokens + ["\"format_version\":", "\"files\":", "\"model.json\"", "\"../x\""]) { bytes in
                try Data(bytes).write(to: f.bundleFolder.appendingPathComponent("petal.json"))
                _ = try ServingBundle.load(from: f.bundleFolder)
            },
            FuzzTarget(name: "model", dictionary: jsonTokens + ["\"kind\":", "\"steps\":", "\"children\":", "-1", "1e308"]) { bytes in
                _ = try ModelFormat.decode(Data(bytes))
            },
        ]
    }
}
