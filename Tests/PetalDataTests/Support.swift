import Foundation
@testable import PetalData
import PetalTestSupport

/// Paths and helpers shared by the data tests.
typealias Repo = RepoPaths

/// Parses CSV text in memory.
func csv(_ text: String, _ configure: (inout CSVOptions) -> Void = { _ in }) throws -> (Frame, [DataWarning]) {
    var options = CSVOptions()
    configure(&options)
    return try CSVReader.read(bytes: Array(text.utf8), file: "test.csv", options: options)
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
