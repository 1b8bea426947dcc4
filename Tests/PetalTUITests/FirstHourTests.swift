import Foundation
import PetalData
import PetalSession
import Testing
@testable import PetalTUI

/// Issue 14, "a student's first hour": every message readable, nothing lost by a slip. Each test draws the
/// workbench at the sizes students use (80×24 and 120×40).
@Suite struct FirstHourTests {
    static let sizes = [(80, 24), (120, 40)]

    /// The rows of the screen's log area and command line as one string, words joined by single spaces.
    /// The screen without the sidebar's own placeholder (`pipeline P = …` is an example, not cut text).
    static func text(_ g: Grid) -> String { g.text.replacingOccurrences(of: "pipeline P = …", with: "") }

    static func words(_ g: Grid) -> String {
        g.text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "│" }).joined(separator: " ")
    }

    @Test func aLongHintIsShownWholeUntilDismissed() throws {
        for (width, height) in FirstHourTests.sizes {
            let w = TUIFixture.workbench()
            w.runNow("open \(TUIFixture.penguinsPath) as penguins")
            w.runNow("pipeline k = knn; fit k on penguins target=species")
            let error = w.session.execute("fit k on penguins target=species").renderText(width: 400)
            #expect(error.contains("imputer"), "the hint names the fix: \(error)")
            let g = TUIFixture.screen(w, width: width, height: height)
            // Every word of the error and its hint is on screen (wrapped at spaces, not cut with …).
            let shown = FirstHourTests.words(g)
            for word in error.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                #expect(shown.contains(word), "\"\(word)\" missing at \(width)×\(height):\n\(g.text)")
            }
            #expect(!FirstHourTests.text(g).contains("…"), "cut at \(width)×\(height):\n\(g.text)")
            // Taller than the log (80×24): it takes the view's space until Esc; where it fits, Esc keeps its usual job.
            let taller = width == 80
            #expect(g.contains("Esc hides it") == taller && w.showsMessage == taller, "\(g.text)")
            if taller {
                #expect(w.handleFromCommandLine(.escape) == .none && w.messageStart == nil)
                #expect(TUIFixture.screen(w, width: width, height: height).contains("penguins"))
            }
        }
    }

    @Test func warningsStayOnScreenUntilDismissed() {
        let w = TUIFixture.workbench()
        let rows = "when,x,y\n" + (0..<30).map { "2024-01-\(String(format: "%02d", $0 % 28 + 1)),\($0),\($0 % 2 == 0 ? "a" : "b")" }.joined(separator: "\n")
        let frame = try? CSVReader.read(bytes: Array(rows.utf8), file: "dated.csv").0
        w.session.store(frame ?? Frame.empty, as: "dated", source: "dated.csv")
        w.runNow("pipeline p = knn k=3; fit p on dated target=y")
        let g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(g.contains("warning:") && g.contains("when"), "\(g.text)")
        #expect(w.messageStart != nil)
        w.runNow("describe iris")
        #expect(w.messageStart == nil)
    }

    @Test func longLinesInTheLogWrapAtSpacesAndAreNeverCut() {
        let w = TUIFixture.workbench()
        let curl = "curl -s localhost:8080/invocations -H 'Content-Type: application/json' -d '{\"dataframe_records\": [{\"sepal_length\":5.1, \"sepal_width\":3.5}]}'"
        w.addLog(curl, style: .plain)
        for (width, height) in FirstHourTests.sizes {
            let g = TUIFixture.screen(w, width: width, height: height)
            for word in curl.split(separator: " ") { #expect(g.contains(String(word)), "\(word) cut at \(width):\n\(g.text)") }
            #expect(!FirstHourTests.text(g).contains("…"))
        }
    }

    @Test func theWholeLogHasItsOwnViewWithScrollBackAndSearch() {
        let w = TUIFixture.workbench()
        w.runNow("describe iris")
        for k in 0..<40 { w.runNow("head iris \(k % 5 + 1)") }
        #expect(!TUIFixture.screen(w, width: 80, height: 24).contains("describe iris"))
        _ = w.handleFromCommandLine(.function(2))
        guard w.currentView is LogView else { Issue.record("F2 did not open the log"); return }
        w.focus = .view
        _ = w.handle(.character("g"))
        var g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(g.contains("▶ describe iris") && g.line(0).contains("log ("), "\(g.text)")
        _ = w.handle(.character("G"))
        _ = w.handle(.character("/"))
        for c in "DESCRIBE" { _ = w.handle(.character(c)) }
        _ = w.handle(.enter)
        g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(w.status?.contains("on line") == true && g.contains("▶ describe iris"), "\(g.text)")
        // The `log` command opens it too, and it follows new lines while on top.
        let v = TUIFixture.workbench()
        v.runNow("log")
        #expect(v.currentView is LogView)
        v.runNow("counts iris.variety")
        #expect(TUIFixture.screen(v, width: 120, height: 40).contains("▶ counts iris.variety"))
    }

    @Test func commandsTypedWhileOneRunsAreQueuedShownAndRunInOrder() {
        let w = TUIFixture.workbench()
        guard case .run(let first) = w.submit("describe iris") else { Issue.record("not run"); return }
        #expect(w.submit("head iris 2") == .none && w.submit("counts iris.variety") == .none)
        for (width, height) in FirstHourTests.sizes {
            let g = TUIFixture.screen(w, width: width, height: height)
            #expect(g.contains("queued: head iris 2") && g.contains("queued: counts iris.variety"), "\(g.text)")
            #expect(g.line(height - 1).contains("+2 queued"))
        }
        #expect(w.nextQueued() == nil)  // not while the first one runs
        for e in w.session.executeScript(first) { w.finish(e) }
        #expect(w.nextQueued() == "head iris 2" && w.nextQueued() == "counts iris.variety" && w.nextQueued() == nil)
    }

    @Test func aPrintableKeyTheViewDoesNotUseStartsACommand() {
        let w = TUIFixture.workbench()
        w.runNow("view iris")
        w.focus = .view
        #expect(w.handle(.character("j")) == .none && w.focus == .view)  // a table key
        let g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(g.contains("keys go to the view"))
        #expect(w.handle(.character("d")) == .type("d"))
        #expect(w.focus == .commandLine)
    }

    @Test func quittingWithWorkAsksFirst() {
        let w = TUIFixture.workbench()
        w.focus = .view
        #expect(w.unsavedWork == nil)
        w.runNow("pipeline p = standard_scaler | knn; fit p on iris target=variety; filter iris petal_length > 2 as big")
        w.focus = .view
        while w.views.count > 1 { _ = w.pop() }
        #expect(w.handle(.character("q")) == .none)
        for (width, height) in FirstHourTests.sizes {
            let g = TUIFixture.screen(w, width: width, height: height)
            #expect(g.contains("quit and close them? y/n"), "\(g.text)")
            #expect(g.contains("1 data set (big)") && g.contains("p, fitted"), "\(g.text)")
        }
        #expect(w.handle(.character("n")) == .none && w.question == nil)
        #expect(w.requestQuit() == .none)
        #expect(w.handle(.character("y")) == .quit)
    }

    @Test func aDateHistogramLabelsItsBinsWithDates() {
        let w = TUIFixture.workbench()
        let path = TUIFixture.penguinsPath.replacingOccurrences(of: "penguins.csv", with: "seattle-weather.csv")
        w.runNow("open \(path) as weather; hist weather.date bins=6")
        for (width, height) in FirstHourTests.sizes {
            let g = TUIFixture.screen(w, width: width, height: height)
            #expect(g.contains("[2012-01-01, 2012-") && g.contains("2015-12-31]"), "\(g.text)")
            #expect(g.text.range(of: "[0-9]{12,}", options: .regularExpression) == nil, "epoch numbers:\n\(g.text)")
        }
    }

    @Test func tableColumnsFitTheWholeColumnAfterASortAndWidenOrNarrowWithKeys() throws {
        // Short values first; the long ones only far down the column.
        var rows = "name,n,other\n"
        for k in 0..<3000 { rows += k >= 2000 ? "virginica-\(k),5770001\(k),x\n" : "a,\(k % 10),y\n" }
        let frame = try CSVReader.read(bytes: Array(rows.utf8), file: "deep.csv").0
        for (width, height) in FirstHourTests.sizes {
            var table = TableView(dataset: "deep", frame: frame)
            let rect = Rect(x: 0, y: 0, width: width - 25, height: height - 8)
            _ = table.handle(.character("]"), rect: rect)  // sort by name, descending: the long names on top
            var g = Grid(width: rect.width, height: rect.height)
            table.draw(into: &g, rect: rect, context: DrawContext())
            #expect(g.contains("virginica-2999") && !FirstHourTests.text(g).contains("…"), "\(g.text)")
            _ = table.handle(.right, rect: rect)
            _ = table.handle(.character("]"), rect: rect)
            g = Grid(width: rect.width, height: rect.height)
            table.draw(into: &g, rect: rect, context: DrawContext())
            #expect(g.contains("57700012999") && !FirstHourTests.text(g).contains("…"), "\(g.text)")
            // `-` narrows the column under the cursor (cutting with …), `_` fits it to its widest value again.
            _ = table.handle(.character("-"), rect: rect)
            _ = table.handle(.character("-"), rect: rect)
            g = Grid(width: rect.width, height: rect.height)
            table.draw(into: &g, rect: rect, context: DrawContext())
            #expect(g.text.contains("…"))
            _ = table.handle(.character("_"), rect: rect)
            g = Grid(width: rect.width, height: rect.height)
            table.draw(into: &g, rect: rect, context: DrawContext())
            #expect(g.contains("57700012999") && !FirstHourTests.text(g).contains("…"), "\(g.text)")
        }
    }

    @Test func theWelcomeAndTheHintBarShowTheirWholeTextAt80x24() {
        let w = TUIFixture.workbench()
        for (width, height) in FirstHourTests.sizes + [(100, 30)] {
            let g = TUIFixture.screen(w, width: width, height: height)
            #expect(!FirstHourTests.text(g).contains("…"), "cut at \(width)×\(height):\n\(g.text)")
            let shown = FirstHourTests.words(g)
            for (command, what) in WelcomeView.suggestions(for: "iris") {
                for word in (command + " " + what).split(separator: " ") { #expect(shown.contains(word), "\(word) at \(width)×\(height):\n\(g.text)") }
            }
            for word in "Tab completes, ↑ recalls earlier commands, Esc gives the keys to the view: q back, then quit".split(separator: " ") {
                #expect(shown.contains(word), "\(word) at \(width)×\(height):\n\(g.text)")
            }
            // The hint bar shows whole hints only; when some do not fit it says where all keys are.
            let bar = g.line(height - 1)
            #expect(bar.contains("Enter run") && (bar.contains("F1 help") || bar.contains("F1 all keys")), "\(bar)")
            for hint in w.currentHints where hint.keys != "F1" && bar.contains(hint.keys + " ") {
                #expect(bar.contains(hint.keys + " " + hint.action), "\(hint) cut: \(bar)")
            }
        }
    }

    @Test func theDemoFormShowsItsWholeTextFrom80To130Columns() throws {
        let w = TUIFixture.workbench()
        w.runNow("pipeline p = standard_scaler | logistic_regression; fit p on iris target=variety; demo p")
        guard var demo = w.currentView as? DemoView else { Issue.record("no demo"); return }
        // A value outside the training range: the form warns once, and the result is stale until Enter.
        for _ in 0..<4 { _ = demo.handle(.backspace, rect: w.mainRect) }
        for c in "99" { _ = demo.handle(.character(c), rect: w.mainRect) }
        w.views[w.views.count - 1] = demo
        for (width, height) in [(80, 24), (120, 40), (125, 40), (130, 40)] {
            let g = TUIFixture.screen(w, width: width, height: height)
            #expect(!FirstHourTests.text(g).contains("…"), "cut at \(width)×\(height):\n\(g.text)")
            for item in ["1 setosa", "2 versicolor", "3 virginica", "(Enter to update)"] {
                #expect(g.contains(item), "\(item) at \(width)×\(height):\n\(g.text)")
            }
            let warnings = g.text.components(separatedBy: "outside").count - 1
            #expect(warnings == 1, "the range warning once at \(width)×\(height):\n\(g.text)")
            let bar = g.line(height - 1)
            #expect(bar.contains("Esc back") || bar.contains("F1 all keys"), "\(bar)")
            #expect(!bar.contains(": command") && !bar.contains("s sidebar"), "keys the form takes are not offered: \(bar)")
            #expect(bar.last == " ", "the last cell is never used: \(bar)")
        }
    }

    @Test func theReportKeepsItsMatrixCloseAndItsScrollMarkOnItsOwnRow() {
        let w = TUIFixture.workbench()
        w.runNow("pipeline p = standard_scaler | knn; fit p on iris target=variety")
        for (width, height) in FirstHourTests.sizes {
            let g = TUIFixture.screen(w, width: width, height: height)
            guard let matrix = g.find("confusion matrix") else { Issue.record("\(g.text)"); continue }
            if let baseline = g.find("baseline (always") {
                #expect(matrix.y - baseline.y <= 2, "a gap before the matrix at \(width)×\(height):\n\(g.text)")
            } else {
                #expect(g.text.range(of: "[0-9]+/[0-9]+ ↓", options: .regularExpression) != nil, "text cut without a mark:\n\(g.text)")
            }
            if let mark = g.text.range(of: "[0-9]+/[0-9]+ ↓", options: .regularExpression) {
                let line = g.text[..<mark.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
                #expect(line.split(separator: "│").last?.trimmingCharacters(in: .whitespaces).isEmpty == true,
                        "the scroll mark shares a row with text at \(width)×\(height):\n\(g.text)")
            }
            #expect(g.contains("shade = share of the row"), "the caption wraps instead of being cut:\n\(g.text)")
        }
    }

    @Test func correlationHeadersAreWholeOrWrapped() {
        let w = TUIFixture.workbench()
        w.runNow("open \(TUIFixture.penguinsPath) as penguins; corr penguins")
        var g = TUIFixture.screen(w, width: 160, height: 40)
        #expect(g.contains("flipper_length_mm") && g.contains("bill_length_mm"), "room to spare:\n\(g.text)")
        g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(g.contains("flipper_") && g.contains("length_mm"), "wrapped at 80:\n\(g.text)")
    }

    @Test func theScatterYTitleHasARowOfItsOwn() {
        let w = TUIFixture.workbench()
        w.runNow("scatter iris.petal_length iris.sepal_width")
        for (width, height) in FirstHourTests.sizes {
            let g = TUIFixture.screen(w, width: width, height: height)
            guard let title = g.find("↑ sepal_width") else { Issue.record("no y title:\n\(g.text)"); continue }
            let row = g.line(title.y).unicodeScalars.filter { $0.value >= 0x2800 && $0.value <= 0x28FF }
            #expect(row.isEmpty, "dots on the title's row at \(width)×\(height):\n\(g.text)")
            #expect(g.line(title.y + 1).contains("4.4"), "the top value right under the title:\n\(g.text)")
        }
    }

    @Test func exportSummaryLinesWrapInsteadOfBeingCut() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("first-hour-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (width, height) in FirstHourTests.sizes {
            let w = TUIFixture.workbench()
            _ = TUIFixture.screen(w, width: width, height: height)  // lays the view out at this size
            w.runNow("pipeline p = knn; fit p on iris target=variety; export p to \(folder.path)/b\(width)")
            let g = TUIFixture.screen(w, width: width, height: height)
            let shown = FirstHourTests.words(g)
            for word in ["petal_width", "(number),", "requirements.txt", "INPUT", "OUT", "drift", "NAME"] {
                #expect(shown.contains(word), "\(word) missing at \(width)×\(height):\n\(g.text)")
            }
        }
    }
}

/// Issue 14's VisiData habits: Enter on a count opens its rows; `o` opens a row with its whole values.
@Suite struct VisiDataHabitsTests {
    @Test func enterOnACountOpensThoseRows() throws {
        let w = TUIFixture.workbench()
        w.runNow("counts iris.variety")
        let view = try #require(w.currentView as? CountsView)
        #expect(view.selected == 0)
        w.focus = .view
        _ = w.handle(.down)
        _ = w.handle(.enter)
        let table = try #require(w.currentView as? TableView)
        #expect(table.frame.rowCount == 50 && table.caption?.hasPrefix("variety = ") == true)
        let g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(g.line(0).contains("variety = ") && g.line(0).contains("50 rows"), "\(g.text)")
    }

    @Test func oOpensTheRowWithItsWholeValues() throws {
        let long = String(repeating: "a long comment ", count: 12)
        let frame = try CSVReader.read(bytes: Array("id,note\n1,short\n2,\(long)\n".utf8), file: "notes.csv").0
        let w = TUIFixture.workbench()
        w.session.store(frame, as: "notes", source: "notes.csv")
        w.runNow("view notes")
        w.focus = .view
        _ = w.handle(.down)
        for (width, height) in FirstHourTests.sizes {
            _ = TUIFixture.screen(w, width: width, height: height)  // the view's size, as the terminal draws it first
            _ = w.handle(.character("o"))
            let g = TUIFixture.screen(w, width: width, height: height)
            _ = w.pop()
            #expect(g.line(0).contains("notes row 1"), "\(g.text)")
            #expect(g.text.components(separatedBy: "comment").count - 1 == 12, "every word of the long value:\n\(g.text)")
        }
    }
}

extension VisiDataHabitsTests {
    @Test func enterOnADatabasesTableOpensIt() throws {
        let w = TUIFixture.workbench()
        let db = TUIFixture.penguinsPath.replacingOccurrences(of: "penguins.csv", with: "linnerud.db")
        w.runNow("open \(db)")
        _ = try #require(w.currentView as? PickListView)
        w.focus = .view
        _ = w.handle(.down)
        guard case .run(let line) = w.handle(.enter) else { Issue.record("Enter did nothing"); return }
        #expect(line.hasSuffix("table=physiological"), "\(line)")
        w.finish(w.session.execute(line))
        #expect((w.currentView as? TableView)?.dataset == "physiological", "\(type(of: w.currentView)) \(w.log.map(\.text))")
    }
}

extension VisiDataHabitsTests {
    @Test func enterOnAnUnfittedPipelineShowsItsSteps() {
        let w = TUIFixture.workbench()
        w.runNow("pipeline lr = standard_scaler | logistic_regression")
        w.focus = .sidebar
        w.sidebarIndex = 1
        #expect(w.handle(.enter) == .none)
        let g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(g.line(0).contains("pipeline lr (not fitted)") && g.contains("logistic_regression"), "\(g.text)")
    }
}

extension VisiDataHabitsTests {
    @Test func columnsMoveHideAndComeBackInTheViewOnly() throws {
        let w = TUIFixture.workbench()
        w.runNow("view iris")
        w.focus = .view
        _ = w.handle(.character("L"))
        var g = TUIFixture.screen(w, width: 120, height: 40)
        guard let width = g.find("sepal_width"), let length = g.find("sepal_length") else { Issue.record("\(g.text)"); return }
        #expect(width.x < length.x, "sepal_length moved right:\n\(g.text)")
        guard case .run(let line) = w.handle(.enter) else { Issue.record("no command"); return }
        #expect(line == "hist iris.sepal_length")  // the cursor moved with its column
        _ = w.handle(.character("X"))
        g = TUIFixture.screen(w, width: 120, height: 40)
        #expect(!g.line(1).contains("sepal_length") && w.status?.contains("hid sepal_length") == true, "\(g.text)")
        #expect(try w.session.dataset("iris").frame.columns.count == 5)  // the data set keeps it
        _ = w.handle(.character("V"))
        #expect(TUIFixture.screen(w, width: 120, height: 40).line(1).contains("sepal_length"))
    }
}

extension FirstHourTests {
    @Test func theScatterMatrixHasBoxedPanelsTicksAndWholeNames() throws {
        let w = TUIFixture.workbench()
        w.runNow("scatter iris by=variety")
        let columns = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
        let ranges = [("4.3", "7.9"), ("2.0", "4.4"), ("1.0", "6.9"), ("0.1", "2.5")]
        for (width, height) in FirstHourTests.sizes {
            let g = TUIFixture.screen(w, width: width, height: height)
            let text = g.text
            // A box per pair of columns with shared borders: 3 × 3 inner crossings for 4 columns, and its corners.
            #expect(text.components(separatedBy: "┼").count - 1 == 9, "crossings at \(width)×\(height):\n\(text)")
            for corner in ["┌", "┐", "└", "┘"] { #expect(text.contains(corner), "\(corner) at \(width)×\(height):\n\(text)") }
            // Every name whole on the diagonal (wrapped after `_` when the panel is narrow), never cut.
            let shown = FirstHourTests.words(g)
            for name in columns {
                let parts = name.split(separator: "_")
                #expect(shown.contains(name) || shown.contains("\(parts[0])_ \(parts[1])"), "\(name) at \(width)×\(height):\n\(text)")
            }
            #expect(!FirstHourTests.text(g).contains("…"), "cut at \(width)×\(height):\n\(text)")
            // min/max ticks: each row's on the left, each column's under the bottom row.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            guard let bottom = lines.lastIndex(where: { $0.contains("└") }) else { Issue.record("no bottom border:\n\(text)"); continue }
            let under = lines[bottom + 1]
            for (lo, hi) in ranges {
                #expect(under.contains(lo) && under.contains(hi), "x ticks \(lo) \(hi) at \(width)×\(height):\n\(text)")
                // Left of the matrix (after the sidebar's line): the y ticks.
                guard let corner = g.find("┌") else { Issue.record("no top-left corner:\n\(text)"); continue }
                let left = (corner.y..<height).map { y -> String in
                    let before = String(Array(g.line(y)).prefix(corner.x))
                    return before.split(separator: "│", omittingEmptySubsequences: false).last.map(String.init) ?? before
                }.filter { $0.contains(hi) || $0.contains(lo) }
                #expect(!left.isEmpty, "y ticks \(lo)/\(hi) at \(width)×\(height):\n\(text)")
            }
            #expect(g.contains("setosa") && g.contains("virginica"), "the legend:\n\(text)")
        }
        // ASCII (`--ascii`, a non-UTF-8 locale): the same boxes with + - |, and nothing outside ASCII.
        guard let out = w.session.execute("scatter iris").output as? ScatterOutput else { Issue.record("no scatter"); return }
        let rows = out.layout(width: 60, height: 20, unicode: false).map { $0.map(\.text).joined() }
        #expect(rows.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) }, "\(rows.joined(separator: "\n"))")
        #expect(rows.contains { $0.contains("+---") } && rows.contains { $0.contains("|") }, "\(rows.joined(separator: "\n"))")
    }
}

extension FirstHourTests {
    @Test func textViewsAreWrappedAgainAfterAResize() throws {
        let w = TUIFixture.workbench()
        _ = TUIFixture.screen(w, width: 120, height: 40)  // the terminal's first size
        w.runNow("help search")
        let words = { (text: String) in text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init) }
        let whole = words(w.session.execute("help search").renderText(width: 1000))
        for (width, height) in [(80, 24), (120, 40), (80, 24)] {
            let g = TUIFixture.screen(w, width: width, height: height)
            let view = try #require(w.currentView as? TextView)
            #expect(view.laidOutWidth == w.mainRect.width, "laid out for \(view.laidOutWidth ?? 0), drawn at \(w.mainRect.width)")
            #expect(view.lines.allSatisfy { TextWidth.of($0.text) <= w.mainRect.width }, "a line wider than the view at \(width)")
            #expect(words(view.lines.map(\.text).joined(separator: "\n")) == whole, "every word once, none cut, at \(width)")
            // What is on screen is those lines: the first row of the text in the view's first row.
            #expect(g.line(w.mainRect.y).contains(view.lines[0].text.trimmingCharacters(in: .whitespaces)), "\(g.text)")
        }
    }
}
