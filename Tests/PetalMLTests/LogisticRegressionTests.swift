import Foundation
import Testing
import PetalData
@testable import PetalML

/// Logistic regression probabilities against scikit-learn (Tests/Fixtures/sklearn/logistic.json), fitted there
/// with a tight tolerance so both sides sit at the same optimum.
@Suite struct LogisticRegressionTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("logistic.json")

    @Test func probabilitiesMatchScikitLearn() throws {
        let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
        #expect(cases.count == 6)
        let iris = try PipelineParityTests.iris()
        for c in cases {
            let frame = c["subset"] as? String == "binary"
                ? iris.filter { iris.columns[4][$0] != .text("setosa") } : iris
            let schema = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
            let x = try schema.matrix(frame, dataset: "iris"), y = try schema.labels(frame, dataset: "iris")
            let split = TrainTestSplit.random(rows: x.rows, testCount: try TrainTestSplit.testCount(rows: x.rows, fraction: 0.2), seed: 42)
            let text = try #require(c["pipeline"] as? String)
            let model = try PipelineParityTests.pipeline(text).fit(x.rows(split.train), labels: split.train.map { y[$0] }, schema: schema)
            let p = model.predictProba(x.rows(split.test))
            let expected = try #require(c["probabilities"] as? [[Double]])
            var worst = 0.0
            for r in 0..<p.rows { for k in 0..<p.columns { worst = max(worst, abs(p[r, k] - expected[r][k])) } }
            #expect(worst <= 1e-6, "\(text) \(c["subset"] ?? ""): largest difference \(worst)")
            #expect(model.predict(x.rows(split.test)).map { schema.classes[$0] } == c["predicted"] as? [String])
        }
    }
}

/// The L-BFGS path (wide or many-class problems) reaches the optimum Newton's method reaches on the same objective.
@Suite struct LogisticRegressionSolverTests {
    /// `classes` Gaussian blobs in `features` dimensions, overlapping so the optimum is finite.
    static func blobs(rows: Int, features: Int, classes: Int, seed: UInt64) -> (Matrix, [Int]) {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        func normal() -> Double { sqrt(-2 * log(max(uniform(), 1e-300))) * cos(2 * Double.pi * uniform()) }
        let centres = (0..<classes).map { _ in (0..<features).map { _ in normal() } }
        var values: [Double] = [], labels: [Int] = []
        for i in 0..<rows {
            let k = i % classes
            labels.append(k)
            for j in 0..<features { values.append(centres[k][j] + 1.5 * normal()) }
        }
        return (Matrix(rows: rows, columns: features, values: values), labels)
    }

    @Test(arguments: [(classes: 8, features: 32), (classes: 2, features: 260)])
    func lbfgsMatchesNewton(shape: (classes: Int, features: Int)) throws {
        let (x, y) = Self.blobs(rows: 320, features: shape.features, classes: shape.classes, seed: 7)
        let m = shape.classes == 2 ? 1 : shape.classes
        #expect(m * (shape.features + 1) > LogisticRegression.newtonLimit, "the default fit must take the L-BFGS path")
        // A tight tol: both solvers at the optimum (the default, scikit-learn's 1e-4, stops L-BFGS short of it).
        let recipe = LogisticRegression(try ParameterValues([("max_iter", "1000"), ("tol", "1e-10")], step: "logistic_regression", descriptors: LogisticRegression.parameters))
        let lbfgs = try recipe.fit(x, labels: y, classCount: shape.classes)
        let newton = try recipe.fit(x, labels: y, classCount: shape.classes, newtonLimit: .max)
        let scale = newton.coefficients.flatMap { $0 }.map(abs).max() ?? 1
        var worst = 0.0
        for (a, b) in zip(lbfgs.coefficients.flatMap { $0 } + lbfgs.intercepts, newton.coefficients.flatMap { $0 } + newton.intercepts) {
            worst = max(worst, abs(a - b))
        }
        #expect(worst <= 5e-3 * scale, "largest coefficient difference \(worst) (scale \(scale))")
        let p = lbfgs.predictProba(x), q = newton.predictProba(x)
        var probability = 0.0
        for i in 0..<p.values.count { probability = max(probability, abs(p.values[i] - q.values[i])) }
        #expect(probability <= 1e-4, "largest probability difference \(probability)")
    }
}
