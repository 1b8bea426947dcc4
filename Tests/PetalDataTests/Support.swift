import Foundation
import Testing
@testable import PetalData
import PetalTestSupport

/// Paths and helpers shared by the data tests.
typealias Repo = RepoPaths

/// Parses CSV text in memory. Every call also reads the same bytes from a file in windows of a few bytes, on one
/// and two threads (so records, quoted fields and line ends straddle windows), and records an issue unless that
/// gives the same frame, warnings or error (`CSVFileReader`, what `open` uses).
func csv(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> (Frame, [DataWarning]) {
    var options = CSVOptions()
    configure(&options)
    let bytes = Array(text.utf8)
    let memory = Result { try CSVReader.read(bytes: bytes, file: "test.csv", options: options) }
    if options.control == nil { expectSameFromFile(bytes, options: options, as: memory) }
    return try memory.get()
}

/// Checks that `CSVFileReader` reads `bytes` as `CSVReader` read them in memory (`expected`).
func expectSameFromFile(_ bytes: [UInt8], options: CSVOptions, as expected: Result<(Frame, [DataWarning]), Error>,
                        windows: [Int] = [1, 3, 64], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let dir = TempDir()
    let path = dir.file("test.csv", bytes)
    // Windows of a few bytes over a long text would take minutes (each window moves the rest of the buffer,
    // at least the 64 KiB the delimiter is guessed from), so longer texts get a few larger windows.
    let sizes = bytes.count <= 16_384 ? windows : bytes.count <= 1 << 20 ? [4093, bytes.count / 5 + 1] : [bytes.count / 5 + 1]
    for window in sizes {
        for threads in bytes.count <= 1 << 20 ? [1, 2] : [2] {
            var o = options
            o.threads = threads
            let streamed = Result { try CSVFileReader.read(path: path, options: o, fileExtension: "", window: window) }
            let got = outcome(streamed).replacingOccurrences(of: path, with: "test.csv")
            #expect(got == outcome(expected), "window \(window), \(threads) threads", sourceLocation: sourceLocation)
        }
    }
}

/// A reading's frame (every cell), warnings or error, as text to compare.
func outcome(_ r: Result<(Frame, [DataWarning]), Error>) -> String {
    switch r {
    case .failure(let e): return "error: \(e)"
    case .success(let (frame, warnings)):
        return warnings.map { "\($0)" }.joined(separator: "\n") + "\n" + frame.columns.map(render).joined(separator: "\n")
    }
}

/// A column's name, type and every value (∅ for a missing one).
func render(_ c: Column) -> String {
    var s = "\(c.name) \(c.type):"
    for i in 0..<c.count {
        guard c.isValid(i) else { s += " ∅"; continue }
        switch c.storage {
        case .int(let v): s += " \(v[i])"
        case .float(let v): s += " \(v[i].bitPattern)"
        case .bool(let v): s += " \(v[i])"
        case .datetime(let v, _): s += " \(v[i])"
        case .text(let codes, let dictionary): s += " [\(dictionary[Int(codes[i])])]"
        }
    }
    return s
}

/// Relative closeness for floating-point comparisons with pandas.
func close(_ a: Double?, _ b: Double?, _ tolerance: Double = 1e-9) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    return abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

/// A temporary folder removed at deinit.
final class TempDir {
    let url: URL
    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("petal-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let p = url.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: p, contents: Data(bytes))
        return p
    }
    func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }
}
