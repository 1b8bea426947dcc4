import Foundation
import Testing
@testable import PetalData

@Suite struct PreviewTests {
    static func write(_ text: String, ext: String = "csv") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("preview-\(UUID().uuidString).\(ext)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func firstRowsOfALargeFile() throws {
        var text = "a,b,name\n"
        for i in 0..<20_000 { text += "\(i),\(Double(i) / 2),row\(i)\n" }
        let path = try PreviewTests.write(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let frame = Preview.frame(path: path, bytes: 16_384) else { Issue.record("no preview"); return }
        #expect(frame.rowCount > 100 && frame.rowCount < 20_000)
        #expect(frame.columnNames == ["a", "b", "name"])
        #expect(frame.column(named: "a")?[0] == .int(0))
        #expect(frame.column(named: "name")?[frame.rowCount - 1] == .text("row\(frame.rowCount - 1)"))
    }

    @Test func noPreviewForSmallOrOtherFiles() throws {
        let small = try PreviewTests.write("a,b\n1,2\n")
        #expect(Preview.frame(path: small) == nil)
        var json = "["
        for i in 0..<5000 { json += "{\"a\": \(i)}," }
        json += "{\"a\": 0}]"
        let big = try PreviewTests.write(json, ext: "json")
        #expect(Preview.frame(path: big, bytes: 1024) == nil)
        #expect(Preview.frame(path: "/nonexistent/file.csv") == nil)
        for p in [small, big] { try? FileManager.default.removeItem(atPath: p) }
    }
}
