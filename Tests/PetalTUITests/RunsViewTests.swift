import Foundation
import PetalData
import PetalSession
import Testing
@testable import PetalTUI

@Suite struct RunsViewTests {
    static func tracked() -> (Workbench, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tui-runs-\(UUID().uuidString)")
        let session = Session(width: 100, trackingFolder: folder.path)
        session.store(BundledSamples.iris(), as: "iris", source: "built-in iris sample")
        let w = Workbench(session: session)
        w.runNow("pipeline a = standard_scaler | knn k=1; fit a on iris target=variety")
        w.runNow("pipeline b = standard_scaler | knn k=15; fit b on iris target=variety")
        w.runNow("pipeline c = decision_tree max_depth=1; fit c on iris target=variety")
        return (w, folder)
    }

    @Test func sidebarListsRunsModelsAndExperiments() {
        let (w, folder) = RunsViewTests.tracked()
        defer { try? FileManager.default.removeItem(at: folder) }
        w.runNow("register a as iris-classifier; alias iris-classifier@champion 1")
        let g = TUIFixture.screen(w, width: 100, height: 40)
        #expect(g.contains("#3 c") && g.contains("#1 a"), "\(g.text)")
        #expect(g.contains("iris-classifier") && g.contains("@champion"))
        #expect(g.contains("• default"))
        guard let run = g.find("#2 b") else { Issue.record("no run 2"); return }
        guard case .run(let line) = w.handle(.click(x: 3, y: run.y)) else { Issue.record("no command"); return }
        #expect(line == "run 2")
        w.finish(w.session.execute(line))
        #expect(w.currentView is TextView && TUIFixture.screen(w).line(0).contains("run 2"))
    }

    @Test func runsViewSortsMarksComparesAndFilters() throws {
        let (w, folder) = RunsViewTests.tracked()
        defer { try? FileManager.default.removeItem(at: folder) }
        w.runNow("runs")
        var view = try #require(w.currentView as? RunsView)
        #expect(view.rows.map(\.id) == [3, 2, 1] || view.rows.map(\.id) == [1, 2, 3])
        let g = TUIFixture.screen(w)
        #expect(g.contains("accuracy") && g.contains("pipeline"))
        let rect = w.mainRect
        // Sort by accuracy, descending: the depth-1 tree is last.
        let accuracy = view.columns.firstIndex { $0.title == "accuracy" } ?? 0
        for _ in 0..<accuracy { _ = view.handle(.right, rect: rect) }
        _ = view.handle(.character("]"), rect: rect)
        #expect(view.rows.last?.id == 3)
        _ = view.handle(.character(" "), rect: rect)
        _ = view.handle(.character(" "), rect: rect)
        guard case .run(let compare) = view.handle(.character("c"), rect: rect) else { Issue.record("no compare"); return }
        #expect(compare.hasPrefix("compare ") && compare.split(separator: " ").count == 3)
        guard case .ask(_, let purpose) = view.handle(.character("/"), rect: rect),
              case .run(let filter) = view.answer("accuracy < 0.9", to: purpose, rect: rect) else { Issue.record("no filter"); return }
        #expect(filter == "runs where accuracy < 0.9")
        w.runNow(filter)
        #expect((w.currentView as? RunsView)?.rows.map(\.id) == [3])
        w.runNow(compare)
        #expect(TUIFixture.screen(w).line(0).contains("compare"))
    }

    @Test func runsScrollSidewaysShowTimesAndDataAndFormatScoresAlike() throws {
        let (w, folder) = RunsViewTests.tracked()
        defer { try? FileManager.default.removeItem(at: folder) }
        w.runNow("delete 1; runs all")
        _ = try #require(w.currentView as? RunsView)
        for (width, height) in [(80, 24), (120, 40)] {
            var g = TUIFixture.screen(w, width: width, height: height)
            #expect(g.contains("dataset") && g.contains("iris") && g.contains("deleted"), "\(g.text)")
            // Scores read alike: a perfect score is 1.0000 beside 0.9600, never a bare 1.
            #expect(g.contains("1.0000") || !g.text.contains(" 1 "), "\(g.text)")
            w.focus = .view
            for _ in 0..<12 { _ = w.handle(.right) }
            g = TUIFixture.screen(w, width: width, height: height)
            #expect(g.contains("took") && g.contains("started") && g.contains("s "), "→ scrolls to the last column at \(width):\n\(g.text)")
            #expect(g.contains("run"))  // the run number stays
            for _ in 0..<12 { _ = w.handle(.left) }
            #expect(TUIFixture.screen(w, width: width, height: height).contains("status"))
        }
        #expect(RunFormatting.number(1) == "1.0000" && RunFormatting.number(0.96) == "0.9600" && RunFormatting.number(12345) == "12345")
    }
}

extension RunsViewTests {
    @Test func aSearchRowShowsItsBestCombinationWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tui-runs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = Session(width: 100, trackingFolder: folder.path)
        session.store(BundledSamples.iris(), as: "iris", source: "built-in iris sample")
        let w = Workbench(session: session)
        w.runNow("pipeline p = standard_scaler | knn k=3; search p on iris target=variety k=1,25,60")
        w.runNow("runs")
        let view = try #require(w.currentView as? RunsView)
        let parent = try #require(view.rows.first { $0.kind == "search" })
        let best = try #require(view.output.best[parent.id])
        let k = try #require(best.run.params["knn.n_neighbors"])
        for (width, height) in [(80, 24), (120, 40)] {
            w.runNow("runs")
            w.focus = .view
            var seen = false
            // → until the `best` column is on screen; the parent's row then says the best combination whole.
            for _ in 0..<12 where !seen {
                let g = TUIFixture.screen(w, width: width, height: height)
                if let row = (0..<height).map({ g.line($0) }).first(where: { $0.contains("best: ") }) {
                    seen = true
                    #expect(row.contains("best: k=\(k) (run \(best.run.id))"), "\(width)×\(height):\n\(g.text)")
                }
                _ = w.handle(.right)
            }
            #expect(seen, "no best column at \(width)×\(height)")
            // The n_neighbors column of the parent's row holds the best's k, not the base pipeline's 3.
            let col = try #require((w.currentView as? RunsView)?.columns.first { $0.title == "n_neighbors" })
            #expect(col.value(parent) == k)
        }
    }
}
