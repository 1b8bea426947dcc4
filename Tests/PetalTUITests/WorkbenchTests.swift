import PetalData
import PetalSession
import Testing
@testable import PetalTUI

@Suite struct WorkbenchTests {
    @Test func startsOnTheWelcomeWithThreeSuggestions() {
        let w = TUIFixture.workbench()
        let g = TUIFixture.screen(w)
        #expect(g.line(0).contains("Petal") && g.line(0).contains("welcome"))
        #expect(g.contains("describe iris") && g.contains("hist iris.petal_length") && g.contains("fit p on iris"))
        #expect(g.contains("Data sets") && g.contains("iris") && g.contains("150×5"))
        #expect(g.line(29).contains("Enter run") && g.line(29).contains("Tab complete"))
    }

    @Test func describeShowsTheMeansAndLogsTheCommand() {
        let w = TUIFixture.workbench()
        w.runNow("describe iris")
        let g = TUIFixture.screen(w)
        #expect(g.contains("5.843333"))
        #expect(g.contains("▶ describe iris"))
        #expect(g.line(0).contains("describe iris"))
    }

    @Test func fitShowsTheReportWithAConfusionHeatmap() {
        let w = TUIFixture.workbench()
        w.runNow("pipeline p = standard_scaler | knn k=5; fit p on iris target=variety")
        let g = TUIFixture.screen(w)
        #expect(g.contains("precision") && g.contains("confusion matrix"))
        #expect(g.contains("fitted p on iris"))
        #expect(g.contains("acc 1.000"))
        guard let at = g.find("setosa             10") else { Issue.record("no confusion row:\n\(g.text)"); return }
        #expect(g.cell(x: at.x + 18, y: at.y)?.style.tint == .heat(8))
        #expect(g.cell(x: at.x + 18, y: at.y)?.style.filled == true)
        // The report is built from the fit itself, and its drill-down rows come from the predictions the fit kept:
        // each cell lists as many rows as it counts.
        guard let view = w.currentView as? ReportView, case .classification(let m, _, _, _) = view.output.evaluation else {
            Issue.record("not a classification report"); return
        }
        #expect(view.cellRows.map { $0.map(\.count) } == m.confusion)
        #expect(view.frame?.rowCount == 150)
    }

    @Test func histogramIsStackedByClassOnceATargetIsKnown() {
        let w = TUIFixture.workbench()
        w.runNow("hist iris.petal_length")
        #expect(!TUIFixture.screen(w).contains("stacked"))
        w.runNow("pipeline p = gaussian_nb; fit p on iris target=variety; hist iris.petal_length")
        let g = TUIFixture.screen(w)
        #expect(g.contains("stacked by class") && g.contains("■ setosa") && g.contains("■ virginica"))
        guard let view = w.currentView as? HistogramView else { Issue.record("not a histogram"); return }
        #expect(view.stacks.map { $0.reduce(0, +) } == view.output.histogram.counts)
        // The first bin holds only setosa.
        #expect(view.stacks.first == [44, 0, 0])
    }

    @Test func scatterAndCorrelationViews() {
        let w = TUIFixture.workbench()
        w.runNow("scatter iris.petal_length iris.petal_width by=variety")
        var g = TUIFixture.screen(w)
        #expect(g.contains("petal_width against petal_length by variety") && g.contains("■ versicolor"))
        let dots = (0..<g.height).flatMap { y in (0..<g.width).compactMap { x in g.cell(x: x, y: y) } }
            .filter { $0.text.unicodeScalars.first.map { $0.value >= 0x2800 && $0.value <= 0x28FF } == true }
        #expect(dots.count > 20)
        #expect(dots.contains { $0.style.tint == .series(0) } && dots.contains { $0.style.tint == .series(2) })
        w.runNow("scatter iris")
        #expect(TUIFixture.screen(w).contains("scatter matrix"))
        w.runNow("corr iris")
        g = TUIFixture.screen(w)
        #expect(g.contains("0.96") && g.contains("-0.43"))
        guard let one = g.find("1.00") else { Issue.record("no diagonal"); return }
        #expect(g.cell(x: one.x, y: one.y)?.style.tint == .heat(8))
    }

    @Test func curvesViewDrawsFourPanelsInClassColours() {
        let w = TUIFixture.workbench()
        w.runNow("pipeline p = gaussian_nb")
        w.runNow("fit p on iris target=variety test=0.3 seed=1")
        w.runNow("curves p")
        for (width, height) in [(100, 30), (80, 24)] {
            let g = TUIFixture.screen(w, width: width, height: height)
            #expect(g.contains("ROC") && g.contains("precision-recall") && g.contains("calibration") && g.contains("learning curve"), "\(g.text)")
            #expect(g.contains("■ setosa AUC"), "\(g.text)")
            let dots = (0..<g.height).flatMap { y in (0..<g.width).compactMap { x in g.cell(x: x, y: y) } }
                .filter { $0.text.unicodeScalars.first.map { $0.value >= 0x2800 && $0.value <= 0x28FF } == true }
            #expect(dots.contains { $0.style.tint == .series(0) } && dots.contains { $0.style.tint == .series(2) })
        }
    }

    @Test func asciiFallbackDrawsNoUnicode() {
        let w = TUIFixture.workbench()
        w.runNow("scatter iris.petal_length iris.petal_width by=variety")
        let g = TUIFixture.screen(w, unicode: false)
        let text = g.text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("Petal") && text.contains("|"))
    }

    @Test func layoutAt80x24KeepsTheSidebarAndDegradesBelow() {
        let w = TUIFixture.workbench()
        w.runNow("view iris")
        let g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(g.contains("Data sets") && g.contains("sepal_length"))
        let narrow = TUIFixture.screen(w, width: 60, height: 20)
        #expect(!narrow.contains("Data sets") && narrow.contains("sidebar hidden below 80 columns") && narrow.contains("sepal_length"))
        let tiny = TUIFixture.screen(w, width: 30, height: 8)
        #expect(tiny.contains("Petal needs at least 80×24") && tiny.contains("30×8"))
    }

    @Test func keysMoveFocusAndCloseViews() {
        let w = TUIFixture.workbench()
        w.runNow("view iris")
        w.runNow("describe iris")
        #expect(w.views.count == 2)
        w.focus = .view
        #expect(w.handle(.character("q")) == .none)
        #expect(w.currentView is TableView)
        #expect(w.handle(.character(":")) == .none && w.focus == .commandLine)
        w.focus = .view
        _ = w.handle(.character("?"))
        #expect(w.currentView is HelpView)
        #expect(TUIFixture.screen(w).contains("Keys everywhere"))
        _ = w.handle(.character("q"))
        #expect(w.handle(.character("q")) == .quit)
    }

    @Test func enterOnAColumnRunsItsHistogram() {
        let w = TUIFixture.workbench()
        w.runNow("view iris")
        w.focus = .view
        _ = w.handle(.right)
        guard case .run(let line) = w.handle(.enter) else { Issue.record("no command"); return }
        #expect(line == "hist iris.sepal_width")
        w.finish(w.session.execute(line))
        #expect(TUIFixture.screen(w).contains("iris.sepal_width: histogram"))
    }

    @Test func sidebarOpensEntriesByKeyAndClick() {
        let w = TUIFixture.workbench()
        w.runNow("open \(TUIFixture.penguinsPath) as penguins")
        w.runNow("describe iris")
        w.focus = .view
        _ = w.handle(.character("s"))
        #expect(w.focus == .sidebar)
        #expect(TUIFixture.screen(w).contains("penguins"))
        _ = w.handle(.down)
        _ = w.handle(.enter)
        #expect((w.currentView as? TableView)?.dataset == "penguins")
        let g = TUIFixture.screen(w)
        guard let irisRow = g.find("  iris") else { Issue.record("no iris entry"); return }
        _ = w.handle(.click(x: 3, y: irisRow.y))
        #expect((w.currentView as? TableView)?.dataset == "iris")
    }

    @Test func errorsGoToTheLogAndKeepTheView() {
        let w = TUIFixture.workbench()
        w.runNow("describe irsi")
        let g = TUIFixture.screen(w)
        #expect(g.contains("error: no data set called \"irsi\""))
        #expect(w.currentView is WelcomeView)
    }

    @Test func busyWorkFreezesTheSidebarAndQueuesNewCommands() {
        let w = TUIFixture.workbench()
        guard case .run(let line) = w.submit("open \(TUIFixture.penguinsPath) as penguins") else { Issue.record("not run"); return }
        #expect(w.submit("describe iris") == .none)
        #expect(w.queued == ["describe iris"])
        #expect(w.handle(.control("c")) == .cancel)
        #expect(w.queued.isEmpty && w.log.contains { $0.text.contains("not run: describe iris") })
        let control = LoadControl()
        control.setTotal(100)
        control.advance(by: 40)
        w.attach(control)
        let g = TUIFixture.screen(w)
        #expect(g.line(0).contains("40%") && g.line(0).contains("Ctrl-C cancels"))
        w.finish(w.session.execute(line))
        #expect(w.busy == nil && TUIFixture.screen(w).contains("penguins"))
    }

    @Test func commandLineScrollsAndQuestionsTakeItsPlace() {
        let w = TUIFixture.workbench()
        let long = String(repeating: "x", count: 150)
        let g = TUIFixture.screen(w, line: CommandLineState(prompt: "▶ ", text: long, cursor: 150))
        #expect(g.line(28).hasPrefix("▶ xxxx"))
        w.runNow("view iris")
        w.focus = .view
        _ = w.handle(.character("/"))
        _ = w.handle(.character("v"))
        #expect(TUIFixture.screen(w).line(28).hasPrefix("search sepal_length: v"))
        _ = w.handle(.escape)
        #expect(w.question == nil)
    }

    @Test func workbenchVerbs() {
        let w = TUIFixture.workbench()
        #expect(w.submit("quit") == .quit)
        w.runNow("pipeline p = knn")
        #expect(w.submit("quit") == .none && w.question != nil)
        _ = w.handle(.character("n"))
        w.runNow("help")
        #expect(w.currentView is HelpView)
        w.runNow("help hist")
        #expect(TUIFixture.screen(w).contains("numpy"))
        w.runNow("view nothing")
        #expect(TUIFixture.screen(w).contains("error: no data set called \"nothing\""))
        w.runNow("clear")
        #expect(w.log.isEmpty)
    }

    /// Every workbench verb (declared once in `WorkbenchVerb`, aliases included) is listed with its help in the help
    /// view and in `help`, and is handled by the workbench, never sent to the session as a command.
    @Test func workbenchVerbsAreDeclaredWithTheirHelp() {
        let help = HelpView.lines.map(\.text).joined(separator: "\n")
        let overview = HelpOutput.overview()
        for verb in WorkbenchVerb.allCases {
            #expect(help.contains("  " + verb.usage) && help.contains(verb.help), "help view lacks \(verb.usage)")
            #expect(overview.contains(verb.usage), "help lacks \(verb.usage)")
            #expect(Session().execute("help \(verb.rawValue)").renderText(width: 100).contains(verb.help))
            for word in [verb.rawValue] + verb.aliases where verb != .quit {
                let w = TUIFixture.workbench()
                w.runNow("view iris")
                if case .run(let line) = w.submit(word) { Issue.record("\(word) went to the session as \(line)") }
            }
        }
        #expect(help.contains("  back") && help.contains("  clear"))
    }
}
