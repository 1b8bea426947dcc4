import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct FilterCommandTests {
    @Test func filterSortSelectSave() throws {
        let s = irisSession()
        #expect(s.execute("filter iris petal_length > 4 and variety != \"setosa\" as big").ok)
        #expect(try s.dataset("big").frame.rowCount == 84)
        #expect(s.execute("sort big by=-petal_length").ok)
        #expect(try s.dataset("big").frame.columns[2][0] == .float(6.9))
        #expect(s.execute("select big petal_length,variety as two").ok)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for ext in ["csv", "tsv", "json", "ndjson"] {
            let path = dir.appendingPathComponent("two.\(ext)").path
            #expect(s.execute("save two to \(path)").ok, "\(ext)")
            let back = s.execute("open \(path) as back_\(ext)")
            #expect(back.ok, "\(back.renderText(width: 80))")
            #expect(try s.dataset("back_\(ext)").frame.rowCount == 84)
        }
    }
}
