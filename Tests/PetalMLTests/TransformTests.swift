import Foundation
import Testing
import PetalData
@testable import PetalML

/// Robust scaling, Yeo–Johnson and binning against scikit-learn (Tests/Fixtures/sklearn/transforms.json).
@Suite struct TransformTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("transforms.json")

    static func matrix(_ key: String) throws -> Matrix {
        let rows = try #require(fixture[key] as? [[Double]])
        return Matrix(rows: rows.count, columns: rows.first?.count ?? 0, values: rows.flatMap { $0 })
    }

    static func fitTransform(_ step: String, _ params: [(String, String)], _ x: Matrix) throws -> Matrix {
        let schema = FeatureSchema(features: (0..<x.columns).map { "f\($0)" }, target: "", classes: [])
        let model = try Pipeline(steps: [Step(name: step, parameters: params), Step(name: "kmeans", parameters: [("k", "2")])])
            .fit(x, target: .none(rows: x.rows), schema: schema)
        return model.transformed(x)
    }

    static func worst(_ a: Matrix, _ b: Matrix) -> Double { zip(a.values, b.values).map { abs($0 - $1) }.max() ?? .nan }

    /// A scaler writing over its input gives the values of `transform`, and leaves a matrix that shares the values
    /// (a copy the caller kept) as it was.
    @Test(arguments: ["standard_scaler", "min_max_scaler", "robust_scaler", "pca"])
    func transformingInPlaceGivesTheSameValues(_ step: String) throws {
        let x = try Self.matrix("X")
        let schema = FeatureSchema(features: (0..<x.columns).map { "f\($0)" }, target: "", classes: [])
        let model = try Pipeline(steps: [Step(name: step, parameters: []), Step(name: "kmeans", parameters: [("k", "2")])])
            .fit(x, target: .none(rows: x.rows), schema: schema)
        let transform = try #require(model.steps.first?.transform)
        let kept = x
        var replaced = x
        transform.transform(replacing: &replaced)
        #expect(replaced == transform.transform(x))
        #expect(kept == x)
    }

    @Test func robustScalerMatches() throws {
        let x = try Self.matrix("X")
        #expect(Self.worst(try Self.fitTransform("robust_scaler", [], x), try Self.matrix("robust")) <= 1e-9)
    }

    @Test func yeoJohnsonMatches() throws {
        let x = try Self.matrix("X")
        let lambdas = try #require(Self.fixture["lambdas"] as? [Double])
        for j in 0..<x.columns {
            let mine = PowerTransform.bestLambda((0..<x.rows).map { x[$0, j] })
            #expect(abs(mine - lambdas[j]) <= 1e-4 * max(1, abs(lambdas[j])), "λ \(j): \(mine) vs \(lambdas[j])")
        }
        #expect(Self.worst(try Self.fitTransform("power_transform", [], x), try Self.matrix("yeo_johnson")) <= 1e-4)
    }

    @Test func binsMatch() throws {
        let x = try Self.matrix("X")
        let kbins = try #require(Self.fixture["kbins"] as? [String: [[Double]]])
        for (strategy, expected) in kbins {
            let mine = try Self.fitTransform("bins", [("n_bins", "4"), ("strategy", strategy)], x)
            let want = Matrix(rows: expected.count, columns: expected[0].count, values: expected.flatMap { $0 })
            #expect(Self.worst(mine, want) == 0, "\(strategy)")
        }
    }

    @Test func logNeedsNonNegativeValues() throws {
        let x = Matrix(rows: 2, columns: 1, values: [-1, 2])
        #expect(throws: PetalError.self) { try Self.fitTransform("power_transform", [("method", "log")], x) }
    }
}
