import Foundation
import PetalTestSupport
import Testing
import PetalData
@testable import PetalML

/// Lasso, elastic net, multinomial and Bernoulli naive Bayes, LDA and PCA against scikit-learn
/// (Tests/Fixtures/sklearn/families1.json, written by families1.py): every model fitted on every row of a sample.
@Suite struct FamiliesITests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("families1.json")

    /// The fixture's data sets: features (number columns in order) and the target column.
    static func data(_ name: String) throws -> (x: Matrix, target: [Value]) {
        let (file, features, target): (String, [String], String)
        switch name {
        case "iris": (file, features, target) = ("iris.csv", ["sepal_length", "sepal_width", "petal_length", "petal_width"], "variety")
        case "iris_width": (file, features, target) = ("iris.csv", ["sepal_length", "sepal_width", "petal_length"], "petal_width")
        case "penguins": (file, features, target) = ("penguins.csv", ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"], "species")
        default: (file, features, target) = ("penguins.csv", ["bill_length_mm", "bill_depth_mm", "flipper_length_mm"], "body_mass_g")
        }
        let path = RepoPaths.path("samples/\(file)")
        let all = try #require(try Loaders.load(path: path).frame)
        let frame = all.filter { r in all.columns.allSatisfy { $0.isValid(r) } }   // pandas' dropna()
        let columns = try features.map { try frame.requireColumn($0) }
        var x = Matrix(rows: frame.rowCount, columns: features.count)
        for r in 0..<frame.rowCount { for (j, c) in columns.enumerated() { x[r, j] = c[r].doubleValue ?? .nan } }
        let y = try frame.requireColumn(target)
        return (x, (0..<frame.rowCount).map { y[$0] })
    }

    static func step(_ name: String, _ params: [String: Any]) throws -> Step {
        // JSON true/false arrive as numbers; the parameter takes true/false.
        try Step(name: name, parameters: params.map { ($0.key, $0.key == "whiten" ? String(($0.value as? Bool) ?? false) : "\($0.value)") })
    }

    static func close(_ a: Double, _ b: Double, _ tol: Double = 1e-6) -> Bool { abs(a - b) <= tol * max(1, abs(b)) }

    @Test func regressorsMatch() throws {
        let cases = try #require(Self.fixture["regressors"] as? [[String: Any]])
        #expect(cases.count == 7)
        for c in cases {
            let name = try #require(c["step"] as? String), params = c["params"] as? [String: Any] ?? [:]
            let (x, t) = try Self.data(try #require(c["data"] as? String))
            let recipe = try #require(try Self.step(name, params).recipe as? any EstimatorRecipe)
            let model = try #require(try recipe.fit(x, target: .values(t.map { $0.doubleValue ?? .nan }), context: FitContext(classCount: 0)) as? any LinearPredictor)
            let coef = try #require(c["coef"] as? [Double])
            #expect(zip(model.coefficients, coef).allSatisfy { Self.close($0, $1) }, "\(name) \(params): \(model.coefficients) vs \(coef)")
            #expect(Self.close(model.intercept, try #require(c["intercept"] as? Double)), "\(name) \(params): intercept")
            let predicted = model.predictValues(x), expected = try #require(c["predict"] as? [Double])
            #expect(zip(predicted, expected).allSatisfy { Self.close($0, $1) }, "\(name) \(params): predictions")
        }
    }

    @Test func classifiersMatch() throws {
        let cases = try #require(Self.fixture["classifiers"] as? [[String: Any]])
        #expect(cases.count == 6)
        for c in cases {
            let name = try #require(c["step"] as? String), params = c["params"] as? [String: Any] ?? [:]
            let (x, t) = try Self.data(try #require(c["data"] as? String))
            let classes = try #require(c["classes"] as? [String])
            let labels = t.map { v in classes.firstIndex(of: v.plainText) ?? -1 }
            let recipe = try #require(try Self.step(name, params).recipe as? any EstimatorRecipe)
            let model = try #require(try recipe.fit(x, target: .classes(labels), context: FitContext(classCount: classes.count)) as? any FittedClassifier)
            let p = model.predictProba(x), expected = try #require(c["proba"] as? [[Double]])
            var worst = 0.0
            for r in 0..<x.rows { for k in classes.indices { worst = max(worst, abs(p[r, k] - expected[r][k])) } }
            #expect(worst <= 1e-6, "\(name) \(params) on \(c["data"] ?? ""): probabilities differ by \(worst)")
            let predicted = (0..<x.rows).map { classes[p.argmax(row: $0)] }
            #expect(predicted == c["predict"] as? [String], "\(name) \(params): labels")
        }
    }

    /// Equal, or equal with the opposite sign (a component's direction is arbitrary).
    static func sameUpToSign(_ a: [Double], _ b: [Double], _ tol: Double = 1e-6) -> Bool {
        zip(a, b).allSatisfy { close($0, $1, tol) } || zip(a, b).allSatisfy { close(-$0, $1, tol) }
    }

    @Test func pcaMatches() throws {
        let cases = try #require(Self.fixture["pca"] as? [[String: Any]])
        for c in cases {
            let params = c["params"] as? [String: Any] ?? [:]
            let (x, _) = try Self.data(try #require(c["data"] as? String))
            let recipe = try #require(try Self.step("pca", params).recipe as? PCA)
            let model = try #require(try recipe.fit(x) as? PCA.Fitted)
            let components = try #require(c["components"] as? [[Double]])
            #expect(model.components.count == components.count, "pca \(params): \(model.components.count) components")
            for (a, b) in zip(model.components, components) { #expect(Self.sameUpToSign(a, b), "pca \(params): component \(a) vs \(b)") }
            #expect(zip(model.explainedVariance, try #require(c["explained_variance"] as? [Double])).allSatisfy { Self.close($0, $1) })
            #expect(zip(model.explainedVarianceRatio, try #require(c["explained_variance_ratio"] as? [Double])).allSatisfy { Self.close($0, $1) })
            let out = model.transform(x), expected = try #require(c["transform"] as? [[Double]])
            for k in 0..<out.columns {
                #expect(Self.sameUpToSign((0..<x.rows).map { out[$0, k] }, expected.map { $0[k] }, 1e-5), "pca \(params): column \(k)")
            }
        }
    }

    @Test func ldaProjectionMatches() throws {
        let cases = try #require(Self.fixture["lda_transform"] as? [[String: Any]])
        for c in cases {
            let params = c["params"] as? [String: Any] ?? [:]
            let (x, t) = try Self.data(try #require(c["data"] as? String))
            let classes = Array(Set(t.map(\.plainText))).sorted()
            let recipe = try #require(try Self.step("lda", params).recipe as? LinearDiscriminantAnalysis)
            let model = try recipe.fitTransform(x, target: .classes(t.map { classes.firstIndex(of: $0.plainText) ?? 0 }),
                                                context: FitContext(classCount: classes.count))
            let out = model.transform(x), expected = try #require(c["transform"] as? [[Double]])
            #expect(out.columns == expected.first?.count)
            for k in 0..<out.columns {
                #expect(Self.sameUpToSign((0..<x.rows).map { out[$0, k] }, expected.map { $0[k] }, 1e-5), "lda \(params): column \(k)")
            }
        }
    }

    @Test func refusalsAreClear() throws {
        let (x, t) = try Self.data("iris")
        var negative = x
        negative[0, 0] = -1
        let labels = t.map { ["setosa", "versicolor", "virginica"].firstIndex(of: $0.plainText) ?? 0 }
        let nb = try #require(try Step(name: "multinomial_nb", parameters: []).recipe as? any EstimatorRecipe)
        #expect(throws: PetalError.self) { try nb.fit(negative, target: .classes(labels), context: FitContext(classCount: 3)) }
        let fraction = try #require(try Step(name: "pca", parameters: [("n_components", "1.5")]).recipe as? PCA)
        #expect(throws: PetalError.self) { try fraction.fit(x) }
        let pca = try #require(try Step(name: "pca", parameters: [("n_components", "7")]).recipe as? PCA)
        #expect(throws: PetalError.self) { try pca.fit(x) }
        let lda = try #require(try Step(name: "lda", parameters: [("n_components", "3")]).recipe as? LinearDiscriminantAnalysis)
        #expect(throws: PetalError.self) { try lda.fitTransform(x, target: .classes(labels), context: FitContext(classCount: 3)) }
    }
}
