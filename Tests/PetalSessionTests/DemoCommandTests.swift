import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct DemoCommandTests {
    static func fitted(_ pipeline: String = "standard_scaler | logistic_regression", target: String = "variety") -> Session {
        let s = irisSession()
        _ = s.execute("pipeline p = \(pipeline)")
        _ = s.execute("fit p on iris target=\(target)")
        return s
    }

    @Test func formFromTheTrainingRows() throws {
        let s = DemoCommandTests.fitted()
        let e = s.execute("demo p")
        let out = try #require(e.output as? DemoOutput)
        #expect(out.model.fields.map(\.name) == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        guard case .number(let lo, let hi, let median, let step, _) = out.model.fields[2].kind else { Issue.record("not a number"); return }
        // The training split (120 rows, seed 42) has petal_length from 1.0 to 6.7, median 4.25.
        #expect(lo == 1.0 && hi == 6.7 && median == 4.25 && step == 0.1)
        #expect(out.texts == ["5.75", "3", "4.25", "1.3"])
        #expect(out.model.examples.map(\.label) == ["setosa", "versicolor", "virginica"])
        #expect(out.model.isIris)
        let text = e.renderText(width: 80)
        #expect(text.contains("petal_length  [ 4.25       ]  1 – 6.7"))
        #expect(text.contains("V E R S I C O L O R"))
    }

    @Test func typedValuesPredictSetosaWithTheHighestBar() throws {
        let s = DemoCommandTests.fitted()
        let e = s.execute("demo p sepal_length=5.1 sepal_width=3.5 petal_length=1.4 petal_width=0.2")
        let out = try #require(e.output as? DemoOutput)
        guard case .success(let p) = out.prediction else { Issue.record("no prediction"); return }
        #expect(p.label == "setosa")
        #expect(p.probabilities.first?.name == "setosa" && (p.probabilities.first?.p ?? 0) > 0.9)
        #expect(p.probabilities.map(\.p) == p.probabilities.map(\.p).sorted(by: >))
        #expect(abs(p.probabilities.map(\.p).reduce(0, +) - 1) < 1e-9)
        let json = e.json().serialized()
        #expect(json.contains("\"label\": \"setosa\"") && json.contains("\"petal_length\": \"1.4\""))
        #expect(e.renderText(width: 80).contains("❀"))
    }

    @Test func warningsRefusalsAndMistakes() {
        let s = DemoCommandTests.fitted()
        let wide = s.execute("demo p petal_length=12")
        #expect(wide.renderText(width: 80).contains("warning: petal_length 12 is outside the training range 1–6.7"))
        let letters = s.execute("demo p petal_length=abc")
        #expect(letters.renderText(width: 80).contains("cannot predict: petal_length needs a number"))
        let typo = s.execute("demo p petl_length=3")
        #expect(!typo.ok && typo.renderText(width: 80).contains("did you mean petal_length?"))
        _ = s.execute("pipeline q = knn")
        let unfitted = s.execute("demo q")
        #expect(!unfitted.ok && unfitted.renderText(width: 80).contains("not fitted"))
        #expect(!s.execute("demo p examples=1,x").ok)
        #expect(!s.execute("demo p examples=1000").ok)
        #expect(!s.execute("demo p row=-1").ok)
    }

    @Test func labelsExamplesAndRows() throws {
        let s = DemoCommandTests.fitted()
        let out = try #require(s.execute("demo p label.petal_length=\"Petal length (cm)\" examples=0,100 row=50").output as? DemoOutput)
        #expect(out.model.fields[2].label == "Petal length (cm)")
        #expect(out.model.examples.count == 2 && out.model.examples[1].label == "virginica")
        #expect(out.texts == ["7", "3.2", "4.7", "1.4"])
    }

    @Test func regressionShowsTheValueAndItsRange() throws {
        let s = DemoCommandTests.fitted("linear_regression", target: "petal_width")
        let e = s.execute("demo p")
        let text = e.renderText(width: 80)
        #expect(text.contains("predicted petal_width:") && text.contains("training range 0.1 – 2.5"))
        #expect(text.contains("variety       [ versicolor ]  versicolor | setosa | virginica"))  // most frequent in training first
    }

    @Test func flagsAreAppendedAndListed() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flags-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("flags.csv").path
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = DemoCommandTests.fitted()
        let out = try #require(s.execute("demo p petal_length=1.4").output as? DemoOutput)
        guard case .success(let p) = out.prediction else { Issue.record("no prediction"); return }
        #expect(try Flags.append(model: out.model, texts: out.texts, prediction: p, comment: "looks, \"odd\"", at: path).line == 2)
        #expect(try Flags.append(model: out.model, texts: out.texts, prediction: p, comment: "", at: path).line == 3)
        let frame = try #require(try Loaders.load(path: path).frame)
        #expect(frame.rowCount == 2 && frame.column(named: "comment")?[0] == .text("looks, \"odd\""))
        // One column per input, then the prediction, each class's probability, the comment and the time.
        #expect(frame.columnNames == ["sepal_length", "sepal_width", "petal_length", "petal_width", "prediction",
                                      "probability_setosa", "probability_versicolor", "probability_virginica", "comment", "time", "model"])
        #expect(frame.column(named: "petal_length")?[0] == .float(1.4))
        #expect(frame.column(named: "prediction")?[0] == .text(p.label ?? ""))
        let ps = ["setosa", "versicolor", "virginica"].compactMap { frame.column(named: "probability_" + $0)?[0].doubleValue }
        #expect(ps.count == 3 && abs(ps.reduce(0, +) - 1) < 0.001)
        // Another model's flags go to a file of their own rather than mixing shapes.
        mustRun(s, "pipeline q = knn; fit q on iris target=sepal_length test=0")
        let other = try #require(s.execute("demo q").output as? DemoOutput)
        let written = try Flags.append(model: other.model, texts: other.texts, prediction: nil, comment: "", at: path)
        #expect(written.path.hasSuffix("flags-q.csv") && written.line == 2)
    }
}

@Suite struct DemoSourcesTests {
    @Test func bundleFormTakesItsRangesFromTheManifest() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-bundle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = DemoCommandTests.fitted()
        #expect(s.execute("export p to \(folder.path)").ok)
        let fresh = Session(width: 80)
        let e = fresh.execute("demo \(folder.path) petal_length=1.4 petal_width=0.2")
        let out = try #require(e.output as? DemoOutput)
        #expect(out.model.bundlePath == folder.path && out.model.fields.count == 4)
        #expect(out.model.examples.map(\.label) == ["setosa", "versicolor", "virginica"])
        #expect(out.model.examples.first?.values == ["4.6", "3.6", "1", "0.2"])
        guard case .number(let lo, let hi, let median, _, _) = out.model.fields[2].kind else { Issue.record("not a number"); return }
        #expect(lo == 1.0 && hi == 6.7 && median == 4.25)
        guard case .success(let p) = out.prediction else { Issue.record("no prediction"); return }
        #expect(p.label == "setosa")
        // The same prediction as the pipeline it came from.
        let original = try #require(s.execute("demo p petal_length=1.4 petal_width=0.2").output as? DemoOutput)
        #expect((try? original.prediction.get()) == p)
        #expect(!fresh.execute("demo \(folder.path) row=3").ok)
    }

    @Test func registeredModelFormNeedsItsDataSet() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = Session(width: 80, trackingFolder: folder.path)
        _ = s.execute("open \(Repo.path("samples/iris.csv")) as blooms")
        _ = s.execute("pipeline p = standard_scaler | logistic_regression")
        _ = s.execute("fit p on blooms target=variety")
        #expect(s.execute("register p as flowers").ok)
        let e = s.execute("demo flowers/1 row=0")
        let out = try #require(e.output as? DemoOutput, "\(e.renderText(width: 80))")
        #expect(out.texts == ["5.1", "3.5", "1.4", "0.2"])
        #expect((try? out.prediction.get())?.label == "setosa")
        let other = Session(width: 80, trackingFolder: folder.path)
        let missing = other.execute("demo flowers/1")
        #expect(!missing.ok && missing.renderText(width: 80).contains("blooms"))
    }
}

@Suite struct ExportRegisteredTests {
    @Test func registeredModelsExportWithTheirRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("export-registry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = Session(width: 80, trackingFolder: folder.appendingPathComponent("store").path)
        _ = s.execute("open \(Repo.path("samples/iris.csv")) as iris")
        _ = s.execute("pipeline p = standard_scaler | logistic_regression")
        _ = s.execute("fit p on iris target=variety")
        _ = s.execute("register p as flowers")
        _ = s.execute("alias flowers@champion 1")
        let fromPipeline = folder.appendingPathComponent("p").path, fromAlias = folder.appendingPathComponent("champion").path
        #expect(s.execute("export p to \(fromPipeline)").ok)
        let e = s.execute("export flowers@champion to \(fromAlias)")
        #expect(e.ok, "\(e.renderText(width: 80))")
        let a = try String(contentsOfFile: fromPipeline + "/petal.json", encoding: .utf8)
        let b = try String(contentsOfFile: fromAlias + "/petal.json", encoding: .utf8)
        #expect(a.contains("\"source_run\" : \"1\"") && b.contains("\"source_run\" : \"1\""))
        #expect(b.contains("\"training_rows\" : 150") && b.contains("\"accuracy\""))
        let bad = s.execute("export flowers@nobody to \(fromAlias)")
        #expect(!bad.ok)
    }
}
