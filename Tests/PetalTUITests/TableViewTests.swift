import Foundation
import PetalData
import PetalSession
import Testing
@testable import PetalTUI

@Suite struct TableViewTests {
    static let rect = Rect(x: 0, y: 0, width: 70, height: 12)

    static func draw(_ t: TableView, rect: Rect = rect) -> Grid {
        var g = Grid(width: rect.width, height: rect.height)
        t.draw(into: &g, rect: rect, context: DrawContext())
        return g
    }

    @Test func headerShowsNamesAndTypesAndRows() {
        let t = TableView(dataset: "iris", frame: BundledSamples.iris())
        let g = TableViewTests.draw(t)
        #expect(g.line(0).contains("sepal_length") && g.line(0).contains("variety"))
        #expect(g.line(1).contains("float") && g.line(1).contains("text"))
        #expect(g.line(2).contains("5.1") && g.line(2).contains("setosa"))
        #expect(t.title == "iris: 150 rows × 5 columns")
    }

    @Test func nullsAreVisible() throws {
        let frame = try Frame(columns: [Column(name: "x", storage: .float([1, 2]), validity: Bitmap([true, false])),
                                        Column(name: "s", storage: .text(codes: [0, 0], dictionary: ["a"]), validity: Bitmap([false, true]))])
        let g = TableViewTests.draw(TableView(dataset: "d", frame: frame))
        // One way for every type (as pandas prints them), muted.
        #expect(g.line(2).contains("NaN") && g.line(3).contains("NaN") && !g.text.contains("null"))
        #expect(g.cell(x: g.find("NaN")?.x ?? 0, y: 2)?.style.tint == .muted)
    }

    @Test func scrollsToTheEndAndJumpsToARow() {
        var t = TableView(dataset: "iris", frame: BundledSamples.iris())
        _ = t.handle(.character("G"), rect: TableViewTests.rect)
        #expect(t.row == 149)
        #expect(TableViewTests.draw(t).contains("149"))
        _ = t.handle(.pageUp, rect: TableViewTests.rect)
        #expect(t.row == 140)
        guard case .ask(_, let purpose) = t.handle(.character("#"), rect: TableViewTests.rect) else { Issue.record("no question"); return }
        _ = t.answer("100", to: purpose, rect: TableViewTests.rect)
        #expect(t.row == 100)
        guard case .message(let m) = t.answer("1000", to: purpose, rect: TableViewTests.rect) else { Issue.record("no message"); return }
        #expect(m.contains("0 to 149"))
    }

    @Test func sortsByTheCursorColumnAndKeepsRowNumbers() {
        var t = TableView(dataset: "iris", frame: BundledSamples.iris())
        _ = t.handle(.character("]"), rect: TableViewTests.rect)
        let g = TableViewTests.draw(t)
        #expect(g.line(2).contains("7.9"))
        #expect(g.line(2).trimmingCharacters(in: .whitespaces).hasPrefix("131"))  // iris row 131 has the longest sepal
        #expect(g.line(0).contains("sepal_length↓"))
        _ = t.handle(.right, rect: TableViewTests.rect)
        _ = t.handle(.right, rect: TableViewTests.rect)
        _ = t.handle(.character("["), rect: TableViewTests.rect)
        #expect(TableViewTests.draw(t).line(2).contains("1.0"))
    }

    @Test func searchFindsTheNextMatchInTheColumn() {
        var t = TableView(dataset: "iris", frame: BundledSamples.iris())
        for _ in 0..<4 { _ = t.handle(.right, rect: TableViewTests.rect) }
        _ = t.answer("virg", to: "search", rect: TableViewTests.rect)
        #expect(t.row == 100)
        _ = t.handle(.character("n"), rect: TableViewTests.rect)
        #expect(t.row == 101)
        _ = t.handle(.character("N"), rect: TableViewTests.rect)
        #expect(t.row == 100)
        guard case .message(let m) = t.answer("tulip", to: "search", rect: TableViewTests.rect) else { Issue.record("no message"); return }
        #expect(m.contains("not in column variety"))
    }

    @Test func enterOpensAHistogramOrCounts() {
        var t = TableView(dataset: "iris", frame: BundledSamples.iris())
        guard case .run(let line) = t.handle(.enter, rect: TableViewTests.rect) else { Issue.record("no command"); return }
        #expect(line == "hist iris.sepal_length")
        _ = t.handle(.end, rect: TableViewTests.rect)
        guard case .run(let counts) = t.handle(.enter, rect: TableViewTests.rect) else { Issue.record("no command"); return }
        #expect(counts == "counts iris.variety")
        guard case .run(let describe) = t.handle(.character("I"), rect: TableViewTests.rect) else { Issue.record("no command"); return }
        #expect(describe == "describe iris")
    }

    @Test func narrowScreensScrollColumnsIntoView() {
        var t = TableView(dataset: "iris", frame: BundledSamples.iris())
        let narrow = Rect(x: 0, y: 0, width: 30, height: 8)
        #expect(!TableViewTests.draw(t, rect: narrow).contains("variety"))
        _ = t.handle(.end, rect: narrow)
        #expect(TableViewTests.draw(t, rect: narrow).contains("variety"))
    }

    @Test func aMillionRowsDrawOnlyWhatIsVisible() throws {
        let n = 1_000_000
        let frame = try Frame(columns: [Column(name: "i", storage: .int((0..<n).map { Int64($0) }))])
        var t = TableView(dataset: "big", frame: frame)
        _ = t.handle(.character("G"), rect: TableViewTests.rect)
        let g = TableViewTests.draw(t)
        #expect(g.contains("999999"))
        #expect(t.title.contains("1,000,000 rows"))
    }

    @Test func rowOrderPutsNullsLast() throws {
        let c = Column(name: "x", storage: .float([3, .nan, 1, 2]), validity: Bitmap([true, true, true, false]))
        #expect(RowOrder.permutation(c, ascending: true) == [2, 0, 1, 3])
        #expect(RowOrder.permutation(c, ascending: false) == [0, 2, 1, 3])
        let s = Column(name: "s", storage: .text(codes: [1, 0, 1], dictionary: ["b", "a"]))
        #expect(RowOrder.permutation(s, ascending: true) == [0, 2, 1])  // a, a, b
    }

    @Test func floatColumnsShareTheirDecimalsSoPointsLineUp() throws {
        let frame = try Frame(columns: [Column(name: "x", storage: .float([1, 2.25, 10.5, 3.125]))])
        let g = TableViewTests.draw(TableView(dataset: "d", frame: frame))
        let cells = (2...5).map { g.line($0).trimmingCharacters(in: .whitespaces).split(separator: " ").last.map(String.init) ?? "" }
        #expect(cells == ["1.000", "2.250", "10.500", "3.125"], "\(g.text)")
        let points = (2...5).compactMap { y -> Int? in
            let line = g.line(y)
            return line.firstIndex(of: ".").map { line.distance(from: line.startIndex, to: $0) }
        }
        #expect(Set(points).count == 1, "decimal points at \(points):\n\(g.text)")
    }

    /// The table's keys are declared once with their help: every action has a key, no key does two things, and the
    /// help view lists every line of the declaration.
    @Test func everyTableKeyIsDeclaredWithItsHelp() {
        let bound = TableKeys.all.flatMap(\.bindings)
        for action in TableAction.allCases { #expect(bound.contains { $0.action == action }, "no key runs \(action)") }
        #expect(Set(bound.map(\.key)).count == bound.count, "a key is bound twice")
        let help = HelpView.lines.map(\.text).joined(separator: "\n")
        for line in TableKeys.all { #expect(help.contains(line.label) && help.contains(line.help), "help lacks \(line.label)") }
    }
}
