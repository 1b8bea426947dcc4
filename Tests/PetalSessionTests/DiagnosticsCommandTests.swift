import Foundation
import Testing
import PetalData
@testable import PetalSession
import PetalML

/// The guardrails and diagnostics of issue 13 through the command language: continuous targets refused by
/// classifiers, search's refit, clusterers' notice about target=, report's agreement metrics, and `curves`
/// against scikit-learn (Tests/Fixtures/sklearn/diagnostics.json).
@Suite struct DiagnosticsCommandTests {
    nonisolated(unsafe) static let fixture: [String: Any] = {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: Repo.path("Tests/Fixtures/sklearn/diagnostics.json"))),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return json
    }()

    /// A data set with a continuous float target, one with whole-number floats, and one with integer codes.
    static func measurements(_ s: Session) throws -> Session {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("petal-diag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var csv = "x,price,grade,level\n"
        for i in 0..<60 { csv += "\(i),\(Double(i) * 1.37 + 0.25),\(i % 3).0,\(i % 2)\n" }
        try csv.write(to: dir.appendingPathComponent("m.csv"), atomically: true, encoding: .utf8)
        _ = s.execute("open \(dir.appendingPathComponent("m.csv").path) as m")
        return s
    }

    @Test func aClassifierRefusesAContinuousTarget() throws {
        let s = try Self.measurements(Session(width: 100))
        for family in ["logistic_regression", "gaussian_nb", "lda"] {
            let e = s.executeScript("pipeline c = \(family); fit c on m target=price").last
            let text = e?.renderText(width: 200) ?? ""
            #expect(e?.ok == false, "\(family): \(text)")
            #expect(text.contains("target price of m is continuous") && text.contains("60 distinct numbers"), "\(text)")
            #expect(text.contains("use a regressor") && text.contains("bin it into a few classes"), "\(text)")
            // cv and search go through the same check.
            #expect(s.execute("cv c on m target=price").renderText(width: 200).contains("is continuous"))
        }
        // Whole numbers stored as floats are classes (scikit-learn's "multiclass"), as are integers.
        #expect(s.executeScript("pipeline g = gaussian_nb; fit g on m target=grade").last?.ok == true)
        #expect(s.execute("fit g on m target=level").ok)
        // A family that does both tasks takes the float target as regression, as before.
        for family in ["decision_tree", "svm"] {
            #expect(s.executeScript("pipeline t = \(family); fit t on m target=price").last?.renderText(width: 200).contains("r2 ") == true)
        }
    }

    @Test func searchRefitsTheBestOnEveryRow() throws {
        let s = irisSession()
        let e = s.executeScript("pipeline p = standard_scaler | knn; search p on iris target=variety k=1,5,9").last
        let text = e?.renderText(width: 200) ?? ""
        #expect(e?.ok == true, "\(text)")
        #expect(text.contains("p_best is refitted on all 150 rows of iris and ready"), "\(text)")
        let best = try s.pipeline("p_best")
        let fit = try #require(best.fit)
        #expect(fit.split.train.count == 150 && fit.split.test.isEmpty)
        // Ready to use without another fit: report, predict and curves answer.
        #expect(s.execute("report p_best").renderText(width: 100).contains("the 150 training rows (test=0)"))
        #expect(s.execute("predict p_best on iris").ok)
        #expect(e?.json().serialized().contains("\"refit_rows\": 150") == true)
    }

    @Test func everyClustererGivenATargetSaysItIgnoresIt() {
        let s = irisSession()
        for family in ["kmeans k=3", "gaussian_mixture n_components=3", "dbscan eps=0.8"] {
            let e = s.executeScript("pipeline c = standard_scaler | \(family); fit c on iris target=variety").last
            let name = String(family.split(separator: " ")[0])
            #expect(e?.ok == true && e?.renderText(width: 200).contains("\(name) ignores target=variety") == true, "\(e?.renderText(width: 200) ?? "")")
        }
    }

    @Test func reportShowsBalancedAccuracyMCCAndKappa() throws {
        let s = irisSession()
        let e = s.executeScript("pipeline p = gaussian_nb; fit p on iris target=variety test=0.3 seed=0 stratify=true; report p").last
        let text = e?.renderText(width: 100) ?? ""
        #expect(text.contains("balanced accuracy ") && text.contains("Matthews correlation ") && text.contains("Cohen's kappa "), "\(text)")
        let json = e?.json().serialized() ?? ""
        #expect(json.contains("\"balanced_accuracy\": ") && json.contains("\"mcc\": ") && json.contains("\"kappa\": "), "\(json)")
    }

    @Test func curvesEqualScikitLearnOnIris() throws {
        let iris = try #require(Self.fixture["iris"] as? [String: Any])
        let s = irisSession()
        let fit = s.executeScript("pipeline p = \(try #require(iris["pipeline"] as? String)); \(try #require(iris["command"] as? String))").last
        #expect(fit?.ok == true)
        let e = s.execute("curves p")
        #expect(e.ok, "\(e.renderText(width: 100))")
        let output = try #require(e.output as? CurvesOutput)
        let expected = try #require(iris["curves"] as? [[String: Any]])
        #expect(output.classes.map(\.name) == expected.map { $0["class"] as? String ?? "" })
        func close(_ a: [Double], _ b: Any?) -> Bool {
            let b = (b as? [Any] ?? []).map { ($0 as? Double) ?? (($0 as? Int).map(Double.init)) ?? .infinity }
            return a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || abs($0 - $1) <= 1e-12 }
        }
        for (c, x) in zip(output.classes, expected) {
            let roc = try #require(c.roc), pr = try #require(c.pr)
            #expect(close(roc.fpr, x["fpr"]) && close(roc.tpr, x["tpr"]) && close(roc.thresholds, x["roc_thresholds"]), "\(c.name)")
            #expect(close(pr.precision, x["precision"]) && close(pr.recall, x["recall"]) && close(pr.thresholds, x["pr_thresholds"]))
            #expect(abs((c.rocAUC ?? .nan) - (x["roc_auc"] as? Double ?? .nan)) <= 1e-12)
            #expect(abs((c.averagePrecision ?? .nan) - (x["average_precision"] as? Double ?? .nan)) <= 1e-12)
            #expect(close(c.calibration.fractionPositive, x["prob_true"]) && close(c.calibration.meanPredicted, x["prob_pred"]))
        }
        let lc = try #require(iris["learning_curve"] as? [String: Any])
        #expect(output.learning.sizes == lc["train_sizes"] as? [Int])
        for (mine, theirs) in zip(output.learning.test, lc["test_scores"] as? [[Double]] ?? []) { #expect(close(mine, theirs)) }
        for (mine, theirs) in zip(output.learning.train, lc["train_scores"] as? [[Double]] ?? []) { #expect(close(mine, theirs)) }
        // Text: the table, the plots and the learning curve; JSON: the numbers.
        let text = e.renderText(width: 80)
        #expect(text.contains("ROC AUC") && text.contains("learning curve: 5 stratified folds of the 105 training rows"), "\(text)")
        #expect(text.contains("precision-recall") && text.contains("calibration"))
        let json = e.json().serialized()
        #expect(json.contains("\"roc\": {\"fpr\": [0") && json.contains("\"thresholds\": [null, "), "\(json.prefix(400))")
    }

    @Test func curvesOfABinaryClassifierShowThePositiveClass() throws {
        let s = irisSession()
        let e = s.executeScript("filter iris variety != 'setosa' as two; pipeline b = logistic_regression; fit b on two target=variety seed=1; curves b bins=5").last
        let output = try #require(e?.output as? CurvesOutput, "\(e?.renderText(width: 100) ?? "")")
        #expect(output.classes.map(\.name) == ["virginica"])
        #expect(output.bins == 5 && output.classes[0].calibration.counts.reduce(0, +) == 20)
    }

    @Test func curvesExplainWhatTheyNeed() {
        let s = irisSession()
        #expect(s.execute("curves nothing").renderText(width: 100).contains("no pipeline called"))
        _ = s.execute("pipeline p = gaussian_nb")
        #expect(s.execute("curves p").renderText(width: 100).contains("p is not fitted yet"))
        let k = s.executeScript("pipeline k = kmeans k=3; fit k on iris; curves k").last
        #expect(k?.renderText(width: 100).contains("finds clusters") == true)
        // A regressor gets its learning curve (R²).
        let r = s.executeScript("pipeline r = linear_regression; fit r on iris target=petal_width; curves r").last
        let output = r?.output as? CurvesOutput
        #expect(output?.classes.isEmpty == true && output?.learning.task == .regression, "\(r?.renderText(width: 100) ?? "")")
    }

    @Test func thresholdSetsTheCutReportAndModelFileFollow() throws {
        let s = irisSession()
        let fit = s.executeScript("filter iris variety != 'setosa' as two; pipeline b = logistic_regression; fit b on two target=variety seed=3").last
        #expect(fit?.ok == true)
        let before = try #require(s.pipeline("b").fit)
        let e = s.execute("threshold b 0.1")
        #expect(e.ok, "\(e.renderText(width: 100))")
        #expect(e.renderText(width: 100).contains("b now predicts virginica when P(virginica) ≥ 0.1"))
        let after = try #require(s.pipeline("b").fit)
        #expect(after.model.threshold == 0.1)
        // Every scored row is virginica exactly when its probability reaches the cut, and report says so.
        let p = after.model.predictProba(after.scoredX)
        #expect(after.model.predict(after.scoredX) == (0..<p.rows).map { p[$0, 1] >= 0.1 ? 1 : 0 })
        guard case .classification(let m, _, _, _) = after.evaluation, case .classification(let m0, _, _, _) = before.evaluation else {
            Issue.record("not a classification"); return
        }
        #expect(m.recall[1] >= m0.recall[1] && m.confusion != m0.confusion)
        // The model file keeps it; a file without one (or with "none") predicts the most probable class.
        let data = try ModelFormat.encode(after.model)
        #expect(String(decoding: data, as: UTF8.self).contains("\"threshold\":0.1"))
        #expect(try ModelFormat.decode(data).threshold == 0.1)
        #expect(!String(decoding: try ModelFormat.encode(before.model), as: UTF8.self).contains("threshold"))
        #expect(s.execute("threshold b none").ok)
        #expect(try s.pipeline("b").fit?.model.threshold == nil)
        #expect(s.execute("threshold b").renderText(width: 100).contains("the most probable class"))
        // Refusals: out of range, not a number, more than two classes; a tampered model file.
        #expect(s.execute("threshold b 1.5").renderText(width: 100).contains("from 0 to 1"))
        #expect(s.execute("threshold b high").renderText(width: 100).contains("from 0 to 1"))
        let multi = s.executeScript("pipeline m = gaussian_nb; fit m on iris target=variety; threshold m 0.4").last
        #expect(multi?.ok == false && multi?.renderText(width: 100).contains("classifier of two classes") == true)
        let tampered = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"threshold\":0.1", with: "\"threshold\":7")
        #expect(throws: PetalError.self) { try ModelFormat.decode(Data(tampered.utf8)) }
    }
}
