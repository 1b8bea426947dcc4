import Foundation
import Testing
import PetalData
@testable import PetalML

/// Support vector machines against scikit-learn's SVC and SVR (Tests/Fixtures/sklearn/svm.json, written by
/// generate_svm.py): labels equal, one-vs-one decision values and regression predictions within 1e-3, support
/// vector counts equal, for every kernel and several settings.
@Suite struct SVMTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("svm.json")

    static func matrix(_ rows: [[Double]]) -> Matrix {
        Matrix(rows: rows.count, columns: rows.first?.count ?? 0, values: rows.flatMap { $0 })
    }

    static func recipe(_ params: [String: Any]) throws -> SVM {
        let given = params.map { (key, value) -> (String, String) in
            if let d = value as? Double { return (key, NumberText.shortest(d)) }
            return (key, "\(value)")
        }
        return SVM(try ParameterValues(given, step: "svm", descriptors: SVM.parameters))
    }

    @Test func classificationMatchesScikitLearn() throws {
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]]).filter { $0["task"] as? String == "classification" }
        #expect(cases.count == 33)
        var overall = 0.0
        defer { print("svm classification: \(cases.count) cases, largest decision value difference \(overall)") }
        for c in cases {
            let name = "\(c["data"] ?? "") \(c["params"] ?? "")"
            let svm = try Self.recipe(try #require(c["params"] as? [String: Any]))
            let x = Self.matrix(try #require(c["x_train"] as? [[Double]])), y = try #require(c["y_train"] as? [Int])
            let q = Self.matrix(try #require(c["x_test"] as? [[Double]]))
            let k = Set(y).count
            let model = try svm.fitClassifier(x, labels: y, classCount: k, control: nil)
            try model.validate(width: x.columns, classes: k)
            #expect(model.supportCounts == c["n_support"] as? [Int], "\(name): support vectors")
            #expect(model.predictCodes(q) == c["labels"] as? [Int], "\(name): test labels")
            #expect(model.predictCodes(x) == c["train_labels"] as? [Int], "\(name): training labels")
            // scikit-learn flips the sign of a binary decision function (positive: the second class).
            let expected = try #require(c["decision"] as? [[Double]])
            let dv = model.decisionValues(q)
            var worst = 0.0
            for r in 0..<dv.rows { for p in 0..<dv.columns { worst = max(worst, abs((k == 2 ? -1 : 1) * dv[r, p] - expected[r][p])) } }
            #expect(worst <= 1e-3, "\(name): largest decision difference \(worst)")
            overall = max(overall, worst)
        }
    }

    @Test func regressionMatchesScikitLearn() throws {
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]]).filter { $0["task"] as? String == "regression" }
        #expect(cases.count == 8)
        var overall = 0.0
        defer { print("svm regression: \(cases.count) cases, largest prediction difference \(overall)") }
        for c in cases {
            let name = "\(c["params"] ?? "")"
            let svm = try Self.recipe(try #require(c["params"] as? [String: Any]))
            let x = Self.matrix(try #require(c["x_train"] as? [[Double]])), y = try #require(c["y_train"] as? [Double])
            let model = try svm.fitRegressor(x, y: y, control: nil)
            try model.validate(width: x.columns, classes: 0)
            #expect([model.supportVectors.rows] == c["n_support"] as? [Int], "\(name): support vectors")
            let v = model.predictValues(Self.matrix(try #require(c["x_test"] as? [[Double]])))
            let expected = try #require(c["values"] as? [Double])
            let worst = zip(v, expected).map { abs($0 - $1) }.max() ?? .infinity
            #expect(v.count == expected.count && worst <= 1e-3, "\(name): largest difference \(worst)")
            overall = max(overall, worst)
        }
    }

    /// gamma takes a number or one of its words; anything else is refused with the parameter's type.
    @Test func gammaIsANumberOrAWord() throws {
        let d = try #require(SVM.parameters.first { $0.name == "gamma" })
        #expect(d.canonical("scale") == "scale")
        #expect(d.canonical("auto") == "auto")
        #expect(d.canonical("0.50") == "0.5")
        #expect(d.canonical("Scale") == nil)
        #expect(d.canonical("-1") == nil)
        #expect(d.typeText == "float 0…1000000000000 or scale, auto")
        #expect(throws: PetalError.self) { try ParameterValues([("gamma", "wide")], step: "svm", descriptors: SVM.parameters) }
        let x = Matrix(rows: 4, columns: 2, values: [0, 0, 1, 1, 2, 0, 3, 1])
        #expect(try Self.recipe(["gamma": "auto"]).kernel(for: x).gamma == 0.5)
        // scale: 1 / (2 · variance of all eight entries (mean 1, variance 1)).
        #expect(try Self.recipe([:]).kernel(for: x).gamma == 0.5)
        #expect(try Self.recipe(["gamma": 0.25]).kernel(for: x).gamma == 0.25)
    }

    /// `help svm` lists the parameters' help: it must say why probabilities can differ from scikit-learn's.
    @Test func helpExplainsProbabilities() throws {
        let help = try #require(SVM.parameters.first { $0.name == "probability" }).help
        #expect(help.contains("probability=True") && help.contains("5-fold") && help.contains("labels match"))
    }

    /// Labels come from the votes even where the Platt probabilities favour another class.
    @Test func labelsComeFromVotesNotProbabilities() throws {
        let model = SVM.Classifier(kernel: SVMKernel(kind: "linear", gamma: 1, degree: 3, coef0: 0), classCount: 2, labels: [0, 1],
                                   supportVectors: Matrix(rows: 2, columns: 1, values: [1, -1]), supportCounts: [1, 1],
                                   coefficients: [[1, -1]], rho: [0], probA: [5], probB: [0])
        // Decision value 2·x: positive (class 0) for x > 0; A > 0 turns the sigmoid around, so P(class 0) < ½.
        let x = Matrix(rows: 1, columns: 1, values: [0.3])
        #expect(model.predictCodes(x) == [0])
        #expect(model.predictProba(x)[0, 0] < 0.5)
    }

    /// probability=true fits the sigmoid on cross-validated decision values, seeded: same seed, same model.
    @Test func crossValidatedProbabilitiesAreSeeded() throws {
        let c = try #require((Self.fixture["cases"] as? [[String: Any]])?.first { $0["data"] as? String == "iris" })
        let x = Self.matrix(try #require(c["x_train"] as? [[Double]])), y = try #require(c["y_train"] as? [Int])
        let a = try Self.recipe(["probability": "true", "random_state": "3"]).fitClassifier(x, labels: y, classCount: 3, control: nil)
        let b = try Self.recipe(["probability": "true", "random_state": "3"]).fitClassifier(x, labels: y, classCount: 3, control: nil)
        let plain = try Self.recipe([:]).fitClassifier(x, labels: y, classCount: 3, control: nil)
        #expect(a == b)
        #expect(a.probA != plain.probA)
        #expect(a.predictCodes(x) == plain.predictCodes(x))
        let p = a.predictProba(x)
        for r in 0..<p.rows { #expect(abs((0..<3).reduce(0) { $0 + p[r, $1] } - 1) < 1e-9) }
    }
}
