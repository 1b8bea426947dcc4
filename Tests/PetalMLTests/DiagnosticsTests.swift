import Foundation
import Testing
import PetalData
@testable import PetalML

/// Balanced accuracy, MCC, kappa, the ROC / PR / calibration curves and the learning curve against scikit-learn
/// (Tests/Fixtures/sklearn/diagnostics.json, written by generate_diagnostics.py).
@Suite struct DiagnosticsTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("diagnostics.json")

    static func close(_ a: [Double], _ b: [Double], _ tolerance: Double = 1e-12) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || abs($0 - $1) <= tolerance }
    }

    /// A list of numbers where scikit-learn wrote "inf" for +∞.
    static func numbers(_ any: Any?) -> [Double] {
        (any as? [Any] ?? []).map { ($0 as? Double) ?? (($0 as? Int).map(Double.init)) ?? (($0 as? String) == "inf" ? .infinity : .nan) }
    }

    @Test func agreementMetricsAreScikitLearns() throws {
        let cases = try #require(Self.fixture["metrics"] as? [[String: Any]])
        #expect(cases.count == 8)
        for c in cases {
            let k = try #require(c["classes"] as? Int)
            let m = ClassificationMetrics(truth: try #require(c["truth"] as? [Int]), predicted: try #require(c["predicted"] as? [Int]),
                                          classes: (0..<k).map { "c\($0)" })
            #expect(abs(m.balancedAccuracy - (c["balanced_accuracy"] as? Double ?? .nan)) <= 1e-12, "balanced \(c)")
            #expect(abs(m.matthews - (c["mcc"] as? Double ?? .nan)) <= 1e-12, "mcc \(m.matthews)")
            #expect(abs((m.kappa ?? .nan) - (c["kappa"] as? Double ?? .nan)) <= 1e-12, "kappa \(m.kappa ?? .nan)")
        }
        // No rows: kappa is undefined (scikit-learn's NaN), the others 0.
        let empty = ClassificationMetrics(truth: [], predicted: [], classes: ["a", "b"])
        #expect(empty.kappa == nil && empty.matthews == 0 && empty.balancedAccuracy == 0)
    }

    static func checkCurves(_ c: [String: Any], positive: [Bool], scores: [Double], bins: Int) throws {
        let roc = try #require(BinaryCurves.roc(positive: positive, scores: scores))
        #expect(close(roc.fpr, numbers(c["fpr"])), "fpr \(roc.fpr)")
        #expect(close(roc.tpr, numbers(c["tpr"])), "tpr \(roc.tpr)")
        #expect(close(roc.thresholds, numbers(c["roc_thresholds"])), "thresholds \(roc.thresholds)")
        #expect(abs(BinaryCurves.area(x: roc.fpr, y: roc.tpr) - (c["roc_auc"] as? Double ?? .nan)) <= 1e-12)
        #expect(abs(BinaryCurves.area(x: roc.fpr, y: roc.tpr) - (c["roc_auc_score"] as? Double ?? .nan)) <= 1e-12)
        let pr = try #require(BinaryCurves.precisionRecall(positive: positive, scores: scores))
        #expect(close(pr.precision, numbers(c["precision"])), "precision \(pr.precision)")
        #expect(close(pr.recall, numbers(c["recall"])), "recall \(pr.recall)")
        #expect(close(pr.thresholds, numbers(c["pr_thresholds"])))
        #expect(abs((BinaryCurves.averagePrecision(positive: positive, scores: scores) ?? .nan) - (c["average_precision"] as? Double ?? .nan)) <= 1e-12)
        let cal = BinaryCurves.calibration(positive: positive, probabilities: scores, bins: bins)
        #expect(close(cal.fractionPositive, numbers(c["prob_true"])), "prob_true \(cal.fractionPositive)")
        #expect(close(cal.meanPredicted, numbers(c["prob_pred"])), "prob_pred \(cal.meanPredicted)")
    }

    @Test func binaryCurvesAreScikitLearns() throws {
        let cases = try #require(Self.fixture["binary"] as? [[String: Any]])
        #expect(cases.count == 4)
        for c in cases {
            let truth = try #require(c["truth"] as? [Int])
            try Self.checkCurves(c, positive: truth.map { $0 == 1 }, scores: Self.numbers(c["scores"]), bins: try #require(c["n_bins"] as? Int))
        }
        // One kind of row only: no ROC curve (scikit-learn warns and answers NaN rates), no PR curve without positives.
        #expect(BinaryCurves.roc(positive: [true, true], scores: [0.2, 0.4]) == nil)
        #expect(BinaryCurves.precisionRecall(positive: [false, false], scores: [0.2, 0.4]) == nil)
    }

    @Test func irisCurvesAndLearningCurveAreScikitLearns() throws {
        let iris = try #require(Self.fixture["iris"] as? [String: Any])
        let frame = try PipelineParityTests.iris()
        let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
        let x = try schema.matrix(frame, dataset: "iris")
        let y = try schema.labels(frame, dataset: "iris")
        let split = try TrainTestSplit.stratified(labels: y, testCount: try TrainTestSplit.testCount(rows: 150, fraction: 0.3), seed: 0)
        let pipeline = try PipelineParityTests.pipeline(try #require(iris["pipeline"] as? String))
        let model = try pipeline.fit(x.rows(split.train), labels: split.train.map { y[$0] }, schema: schema)
        let p = model.predictProba(x.rows(split.test))
        let curves = try #require(iris["curves"] as? [[String: Any]])
        for (k, c) in curves.enumerated() {
            try Self.checkCurves(c, positive: split.test.map { y[$0] == k }, scores: (0..<p.rows).map { p[$0, k] }, bins: 10)
        }
        let expected = try #require(iris["learning_curve"] as? [String: Any])
        let lc = try LearningCurve.run(pipeline, x: x.rows(split.train), target: .classes(split.train.map { y[$0] }), schema: schema)
        #expect(lc.sizes == expected["train_sizes"] as? [Int])
        let train = try #require(expected["train_scores"] as? [[Double]]), test = try #require(expected["test_scores"] as? [[Double]])
        for s in lc.sizes.indices {
            #expect(Self.close(lc.train[s], train[s]), "train at \(lc.sizes[s]): \(lc.train[s])")
            #expect(Self.close(lc.test[s], test[s]), "test at \(lc.sizes[s]): \(lc.test[s])")
        }
    }

    @Test func learningCurveSizesFollowScikitLearn() {
        #expect(LearningCurve.defaultFractions == [0.1, 0.325, 0.55, 0.775, 1.0])
        #expect(LearningCurve.sizes(fractions: LearningCurve.defaultFractions, largest: 84) == [8, 27, 46, 65, 84])
        // Clipped to at least one row, repeats removed.
        #expect(LearningCurve.sizes(fractions: [0.01, 0.02, 1], largest: 10) == [1, 10])
    }

    /// class_weight=balanced against scikit-learn on 50 versicolor and 12 virginica rows: logistic regression's
    /// probabilities to 1e-6 and the depth-2 tree's probabilities and labels exactly (weighted class shares).
    @Test func balancedClassWeightsAreScikitLearns() throws {
        let block = try #require(Self.fixture["class_weight"] as? [String: Any])
        let cases = try #require(block["cases"] as? [[String: Any]])
        let iris = try PipelineParityTests.iris()
        let variety = try iris.requireColumn("variety")
        let versicolor = (0..<iris.rowCount).filter { variety[$0].plainText == "versicolor" }
        let virginica = Array((0..<iris.rowCount).filter { variety[$0].plainText == "virginica" }.prefix(12))
        let frame = iris.taking(versicolor + virginica)
        let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "sub")
        let x = try schema.matrix(frame, dataset: "sub")
        let y = try schema.labels(frame, dataset: "sub")
        #expect(cases.count == 4)
        for c in cases {
            let text = try #require(c["pipeline"] as? String)
            let model = try PipelineParityTests.pipeline(text).fit(x, labels: y, schema: schema)
            let expected = try #require(c["probabilities"] as? [[Double]])
            let p = model.predictProba(x)
            let tolerance = text.hasPrefix("logistic") ? 1e-6 : 1e-12
            var worst = 0.0
            for r in 0..<p.rows { for k in 0..<p.columns { worst = max(worst, abs(p[r, k] - expected[r][k])) } }
            #expect(worst <= tolerance, "\(text): probabilities differ by \(worst)")
            #expect(model.predict(x).map { schema.classes[$0] } == c["predicted"] as? [String], "\(text)")
        }
    }

    @Test func classWeightIsOneDeclarationSharedByTheFamilies() throws {
        // Every family scikit-learn gives class_weight declares the same parameter.
        for family in ["logistic_regression", "svm", "decision_tree", "random_forest", "extra_trees"] {
            let d = try #require(Steps.entry(named: family)?.parameter("class_weight"), "\(family)")
            #expect(d.typeText == ClassWeight.param.descriptor.typeText && d.help == ClassWeight.param.descriptor.help)
        }
        #expect(ClassWeight.perClass("balanced", labels: [0, 0, 0, 1], classCount: 3) == [4.0 / 6, 2, 1])
        #expect(ClassWeight.perClass("none", labels: [0, 1], classCount: 2) == nil)
        // Balanced weights on a regression target are refused with a reason.
        #expect(throws: PetalError.self) { try ClassWeight.rows("balanced", target: .values([1, 2]), classCount: 0, step: "decision_tree") }
        // A forest with balanced weights finds more of the rare class than without.
        let iris = try PipelineParityTests.iris()
        let variety = try iris.requireColumn("variety")
        let rows = (0..<iris.rowCount).filter { variety[$0].plainText == "versicolor" } + Array((0..<iris.rowCount).filter { variety[$0].plainText == "virginica" }.prefix(8))
        let frame = iris.taking(rows)
        let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "sub")
        let x = try schema.matrix(frame, dataset: "sub"), y = try schema.labels(frame, dataset: "sub")
        for family in ["random_forest n_estimators=25 max_depth=2", "extra_trees n_estimators=25 max_depth=2"] {
            let plain = try PipelineParityTests.pipeline(family).fit(x, labels: y, schema: schema).predictProba(x)
            let balanced = try PipelineParityTests.pipeline(family + " class_weight=balanced").fit(x, labels: y, schema: schema).predictProba(x)
            let rare = (0..<x.rows).filter { y[$0] == 1 }
            #expect(rare.reduce(0) { $0 + balanced[$1, 1] } > rare.reduce(0) { $0 + plain[$1, 1] }, "\(family)")
        }
    }
}
