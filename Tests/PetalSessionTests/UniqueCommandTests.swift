import Foundation
import PetalData
@testable import PetalSession
import Testing

/// `unique NAME.COL [top=N]` (alias `distinct`): distinct values in order of first appearance, null counted once.
@Suite struct UniqueCommandTests {
    @Test func distinctValuesInOrderOfFirstAppearance() throws {
        let s = irisSession()
        let e = mustRun(s, "unique iris.variety")
        let out = try #require(e.output as? UniqueOutput)
        #expect(out.values.map(\.plainText) == ["setosa", "versicolor", "virginica"])
        #expect(e.renderText(width: 80).hasPrefix("iris.variety: 3 distinct values\n"))
        #expect(e.output?.json().serialized().contains(#""count": 3"#) == true)
        #expect(mustRun(s, "distinct iris.variety").renderText(width: 80) == e.renderText(width: 80))
    }

    @Test func topLimitsWhatIsShownNotTheCount() throws {
        let s = irisSession()
        let text = mustRun(s, "unique iris.sepal_length top=2").renderText(width: 80)
        let total = Set(try s.dataset("iris").frame.column(named: "sepal_length").map { c in (0..<c.count).map { c[$0] } } ?? []).count
        #expect(text.hasPrefix("iris.sepal_length: \(total) distinct values\n"), "\(text)")
        #expect(text.contains("… \(total - 2) more; top=N shows more"), "\(text)")
        #expect(!s.execute("unique iris.sepal_length top=0").ok)
    }

    @Test func missingValuesCountOnceAsNull() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("petal-unique-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("t.csv")
        try "city,n\nOslo,1\n,2\nLima,3\nOslo,4\n,5\nRome two,6\n".write(to: file, atomically: true, encoding: .utf8)
        let s = Session(width: 80)
        mustRun(s, "open \(file.path) as t")
        let e = mustRun(s, "unique t.city")
        let text = e.renderText(width: 80)
        #expect(text.hasPrefix("t.city: 4 distinct values\n") && text.contains("Oslo null Lima \"Rome two\""), "\(text)")
        #expect(!s.execute("unique t.town").ok && !s.execute("unique t").ok)
    }
}
