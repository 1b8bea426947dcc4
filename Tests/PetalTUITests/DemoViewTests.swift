import Foundation
import PetalData
import PetalSession
import Testing
@testable import PetalTUI

@Suite struct DemoViewTests {
    static func demo(_ extra: String = "") throws -> (Workbench, DemoView) {
        let w = TUIFixture.workbench()
        w.runNow("pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety; demo p \(extra)")
        return (w, try #require(w.currentView as? DemoView))
    }

    static func screen(_ w: Workbench, _ width: Int, _ height: Int) -> Grid { TUIFixture.screen(w, width: width, height: height) }

    @Test func formAt80x24ShowsFieldsRangesAndBars() throws {
        let (w, _) = try DemoViewTests.demo()
        #expect(w.focus == .view)
        let g = DemoViewTests.screen(w, 80, 24)
        #expect(g.contains("demo of p → variety"))
        #expect(g.contains("sepal_length") && g.contains("4.3 – 7.7") && g.contains("0.1 – 2.5"))
        #expect(g.contains("V E R S I C O L O R"))
        #expect(g.contains("versicolor") && g.contains("0.88"))
        #expect(g.line(23).contains("Tab next field"))
    }

    @Test func formAt120x40PutsTheResultBesideTheFields() throws {
        let (w, _) = try DemoViewTests.demo("sepal_length=5.1 sepal_width=3.5 petal_length=1.4 petal_width=0.2")
        let g = DemoViewTests.screen(w, 120, 40)
        guard let field = g.find("petal_width"), let label = g.find("S E T O S A") else { Issue.record("missing:\n\(g.text)"); return }
        #expect(label.x > field.x + 30)
        #expect(g.contains("❀"))
        // The bar of the winning class is the longest and comes first.
        guard let bar = g.find("setosa ") else { Issue.record("no bar"); return }
        #expect(bar.y < (g.find("versicolor ")?.y ?? 0))
        #expect(g.cell(x: bar.x + 11, y: bar.y)?.style.tint == .series(0))
    }

    @Test func typingReplacesRefusesAndWarns() throws {
        var (_, v) = try DemoViewTests.demo()
        let rect = Rect(x: 0, y: 0, width: 75, height: 20)
        for c in "5.1" { _ = v.handle(.character(c), rect: rect) }
        #expect(v.texts[0] == "5.1")
        _ = v.handle(.character("x"), rect: rect)
        #expect(v.texts[0] == "5.1" && v.message?.contains("takes numbers only") == true)
        _ = v.handle(.tab, rect: rect)
        for c in "35" { _ = v.handle(.character(c), rect: rect) }
        _ = v.handle(.enter, rect: rect)
        #expect(v.message?.contains("outside the training range") == true)
        var g = Grid(width: 75, height: 20)
        v.draw(into: &g, rect: rect, context: DrawContext())
        // Said once (the message), not again as a warning line.
        #expect(g.contains("sepal_width 35 is outside the training range"))
        #expect(g.text.components(separatedBy: "is outside").count == 2, "\(g.text)")
        #expect(g.contains("⚠"))
    }

    @Test func nudgesExamplesAndLiveMode() throws {
        var (_, v) = try DemoViewTests.demo()
        let rect = Rect(x: 0, y: 0, width: 75, height: 20)
        _ = v.handle(.tab, rect: rect)
        _ = v.handle(.tab, rect: rect)
        _ = v.handle(.up, rect: rect)
        #expect(v.texts[2] == "4.35")
        _ = v.handle(.character("-"), rect: rect)
        _ = v.handle(.character("-"), rect: rect)
        #expect(v.texts[2] == "4.15")
        _ = v.handle(.pageDown, rect: rect)
        #expect(v.texts == ["4.6", "3.6", "1", "0.2"] && v.prediction?.label == "setosa")
        _ = v.handle(.pageUp, rect: rect)
        #expect(v.prediction?.label == "virginica")
        // Outside live mode typing does not predict until Enter; in live mode every key does.
        _ = v.handle(.character("1"), rect: rect)
        #expect(v.prediction?.label == "virginica")
        _ = v.handle(.control("t"), rect: rect)
        #expect(v.output.live)
        _ = v.handle(.backspace, rect: rect)
        for c in "0.3" { _ = v.handle(.character(c), rect: rect) }
        #expect(v.texts[2] == "0.3")
        #expect(v.prediction != nil && v.prediction == (try? v.output.prediction.get()))
    }

    @Test func requestShowsTheCurlCommand() throws {
        var (_, v) = try DemoViewTests.demo("sepal_length=5.1 sepal_width=3.5 petal_length=1.4 petal_width=0.2")
        #expect(v.request.body == "{\"dataframe_records\": [{\"sepal_length\":5.1, \"sepal_width\":3.5, \"petal_length\":1.4, \"petal_width\":0.2}]}")
        _ = v.handle(.control("r"), rect: Rect(x: 0, y: 0, width: 75, height: 24))
        var g = Grid(width: 75, height: 24)
        v.draw(into: &g, rect: g.bounds, context: DrawContext())
        #expect(g.contains("curl -s localhost:8080/invocations") && g.contains("petal serve bundles/p"))
        // Narrow panels wrap between fields: every field and the serve command stay whole on one line to copy.
        for width in [30, 40, 52] {
            var narrow = Grid(width: width, height: 40)
            v.draw(into: &narrow, rect: narrow.bounds, context: DrawContext())
            for part in ["\"sepal_length\":5.1,", "\"sepal_width\":3.5,", "\"petal_length\":1.4,", "\"petal_width\":0.2}]}'", "localhost:8080/invocations"] {
                #expect(narrow.contains(part), "\(part) cut at \(width) columns:\n\(narrow.text)")
            }
        }
    }

    @Test func flagWritesARowWithTheComment() throws {
        var (_, v) = try DemoViewTests.demo()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        v.flagsPath = folder.appendingPathComponent("flags.csv").path
        guard case .ask(_, let purpose) = v.handle(.control("f"), rect: Rect(x: 0, y: 0, width: 75, height: 20)) else {
            Issue.record("no question"); return
        }
        guard case .message(let m) = v.answer("wrong colour", to: purpose, rect: Rect(x: 0, y: 0, width: 75, height: 20)) else {
            Issue.record("no message"); return
        }
        #expect(m.contains("line 2"))
        let text = try String(contentsOfFile: v.flagsPath, encoding: .utf8)
        #expect(text.contains("versicolor") && text.contains("wrong colour") && text.hasPrefix("sepal_length,sepal_width,petal_length,petal_width,prediction"))
        #expect(text.contains(",4.25,"), "\(text)")
    }

    @Test func escLeavesTheFormAndKeysGoToItMeanwhile() throws {
        let (w, _) = try DemoViewTests.demo()
        _ = w.handle(.character("q"))  // typed into the form (refused: not a number), not "quit"
        #expect(w.currentView is DemoView)
        _ = w.handle(.escape)
        #expect(w.currentView is ReportView)
    }
}

@Suite struct ConfusionDrillDownTests {
    @Test func enterOnACellListsItsRowsAndEnterOnARowOpensTheForm() throws {
        let w = TUIFixture.workbench()
        w.runNow("pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety")
        let report = try #require(w.currentView as? ReportView)
        #expect(report.cellRows.flatMap { $0.map(\.count) }.reduce(0, +) == 30)
        w.focus = .view
        _ = w.handle(.down)
        _ = w.handle(.right)  // true versicolor, predicted versicolor
        #expect(TUIFixture.screen(w).line(29).contains("its rows"))
        _ = w.handle(.enter)
        let table = try #require(w.currentView as? TableView)
        #expect(table.title.contains("true versicolor, predicted versicolor: 9 rows"))
        #expect(table.frame.rowCount == 9)
        let first = try #require(table.rowNumbers?.first)
        guard case .run(let line) = w.handle(.enter) else { Issue.record("no command"); return }
        #expect(line == "demo p row=\(first)")
        w.finish(w.session.execute(line))
        let demo = try #require(w.currentView as? DemoView)
        let iris = BundledSamples.iris()
        #expect(demo.texts[2] == (iris.column(named: "petal_length").map { DemoField.format($0[first].doubleValue ?? 0, integer: false) } ?? ""))
        #expect(demo.prediction?.label == "versicolor")
    }
}
