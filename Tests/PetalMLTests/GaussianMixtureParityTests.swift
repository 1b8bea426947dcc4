import Testing
import PetalTestSupport
import CKernels
import PetalData
@testable import PetalML

/// Gaussian mixtures against scikit-learn (fixture: Tests/Fixtures/sklearn/gaussian_mixture.py). EM starts from
/// scikit-learn's own k-means clusters, so every covariance type must take scikit-learn's steps: the same labels
/// (numbering included), the same number of iterations, and weights, means and mean log-likelihood equal up to
/// rounding — on small data and on 40 features, where the E- and M-steps run as blocked matrix products.
@Suite struct GaussianMixtureParityTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("gaussian_mixture.json")

    static func fit(_ x: Matrix, k: Int, type: String, seed: Int) throws -> GaussianMixture.Fitted {
        let recipe = GaussianMixture(try ParameterValues([("n_components", String(k)), ("covariance_type", type), ("random_state", String(seed))],
                                                         step: GaussianMixture.name, descriptors: GaussianMixture.parameters))
        return try #require(try recipe.fit(x, target: .none(rows: x.rows), context: FitContext(classCount: 0)) as? GaussianMixture.Fitted)
    }

    @Test(arguments: [true, false])
    func everyCovarianceTypeTakesScikitLearnsSteps(wide: Bool) throws {
        try KernelVersionLock.exclusive {
            petal_kernels_use_wide(wide ? 1 : 0)
            defer { petal_kernels_use_wide(1) }
            let data = try #require(Self.fixture["data"] as? [String: Any])
            let cases = try #require(Self.fixture["cases"] as? [[String: Any]])
            #expect(cases.count >= 20)
            for c in cases {
                let name = try #require(c["data"] as? String), k = try #require(c["k"] as? Int)
                let type = try #require(c["covariance_type"] as? String), seed = try #require(c["seed"] as? Int)
                let x = try FamilyParityTests.matrix(data[name])
                let label = "\(name) k=\(k) \(type) random_state=\(seed)"
                let fitted = try Self.fit(x, k: k, type: type, seed: seed)
                #expect(fitted.assign(x).labels == (c["labels"] as? [Int]), "\(label): labels")
                #expect(fitted.iterations == (c["n_iter"] as? Int), "\(label): \(fitted.iterations) iterations")
                #expect(fitted.converged == (c["converged"] as? Bool), "\(label): converged")
                let weights = try #require(c["weights"] as? [Double]), means = try #require(c["means"] as? [[Double]])
                for (a, b) in zip(fitted.weights, weights) { #expect(abs(a - b) <= 1e-7, "\(label): weight \(a) against \(b)") }
                for (r, row) in means.enumerated() {
                    for (j, b) in row.enumerated() { #expect(abs(fitted.means[r, j] - b) <= 1e-6 * max(1, abs(b)), "\(label): mean [\(r), \(j)]") }
                }
                let score = try #require(c["score"] as? Double)
                let mine = fitted.expectation(x).0
                #expect(abs(mine - score) <= 1e-8 * abs(score), "\(label): mean log-likelihood \(mine) against \(score)")
            }
        }
    }
}
