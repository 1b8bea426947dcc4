import Foundation
import Testing

/// Trees grown now are the trees grown before model format 2 (leaf values only, `TreeCoding`): each pipeline of
/// Tests/Fixtures/bundles-model-v1/make.sh, fitted again by the real binary with the same seeds and exported,
/// predicts every row of its sample as the committed format-1 bundle's recorded predictions (exactly, but for
/// histogram boosting, see `cases`), and its `model.json` is format 2 and smaller than the format-1 file.
@Suite struct TreeFormatTests {
    static let fixtures = Petal.root.appendingPathComponent("Tests/Fixtures/bundles-model-v1")
    /// name, sample, target, pipeline: as make.sh lists them; and how far a refit's numbers may be from the recorded
    /// ones (labels always equal). Histogram boosting's grower has since summed in fixed point (exact, so equal gains
    /// tie exactly and the lower feature wins): its first split of iris is now petal_length ≤ 2.45 where the format-1
    /// binary's float sums had petal_width ≤ 0.8 by a last-bit margin — both part the sample's rows the same way (setosa
    /// from the rest), so the predictions are the same but for leaf values' last bits (about 1e-16).
    static let cases: [(String, String, String, String, Double)] = [
        ("extra_trees", "iris", "variety", "extra_trees trees=4 seed=3", 0),
        ("extra_trees_regressor", "penguins", "body_mass_g", "imputer | extra_trees trees=3 max_depth=6 seed=1", 0),
        ("random_forest_depth", "iris", "variety", "random_forest trees=3 max_depth=4 seed=2", 0),
        ("ada_boost", "penguins", "sex", "imputer | ada_boost n_estimators=4", 0),
        ("hist_gradient_boosting", "iris", "variety", "hist_gradient_boosting max_iter=3", 1e-12),
    ]

    /// Whether two predictions files have the same cells, numbers within `tolerance` (exactly equal text at 0).
    static func same(_ a: String, _ b: String, tolerance: Double) -> Bool {
        guard tolerance > 0 else { return a == b }
        let rowsA = a.split(separator: "\n"), rowsB = b.split(separator: "\n")
        guard rowsA.count == rowsB.count else { return false }
        for (x, y) in zip(rowsA, rowsB) {
            let cellsA = x.split(separator: ",", omittingEmptySubsequences: false), cellsB = y.split(separator: ",", omittingEmptySubsequences: false)
            guard cellsA.count == cellsB.count else { return false }
            for (u, v) in zip(cellsA, cellsB) where u != v {
                guard let p = Double(u), let q = Double(v), abs(p - q) <= tolerance else { return false }
            }
        }
        return true
    }

    @Test func refittedTreesPredictAsFormatOneDid() throws {
        let dir = Petal.freshFolder("tree-format")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, data, target, pipeline, tolerance) in Self.cases {
            let bundle = dir.appendingPathComponent(name).path, out = dir.appendingPathComponent("\(name).csv").path
            let fit = try Petal.run(["exec", "open samples/\(data).csv as d; filter d \(target) is not null as d; pipeline p = \(pipeline); "
                                     + "fit p on d target=\(target) test=0.25 seed=7; export p to \(bundle)"])
            #expect(fit.status == 0, "\(name): \(fit.stderr)")
            let predict = try Petal.run(["predict", bundle, "samples/\(data).csv", "-o", out])
            #expect(predict.status == 0, "\(name): \(predict.stderr)")
            let now = try String(contentsOfFile: out, encoding: .utf8)
            let before = try String(contentsOf: Self.fixtures.appendingPathComponent("\(name).predictions.csv"), encoding: .utf8)
            #expect(Self.same(now, before, tolerance: tolerance), "\(name): predictions differ from the format-1 bundle's")
            let written = try Data(contentsOf: URL(fileURLWithPath: bundle).appendingPathComponent("model.json"))
            let old = try Data(contentsOf: Self.fixtures.appendingPathComponent("\(name)/model.json"))
            let text = String(decoding: written, as: UTF8.self)
            // Format 2's tree shape (leaf values only); later formats keep it (3 packs large matrices).
            let version = (try JSONSerialization.jsonObject(with: written) as? [String: Any])?["version"] as? Int ?? 0
            #expect(version >= 2 && text.contains("\"leaf_value\":"), "\(name): not model format 2 or later (version \(version))")
            #expect(written.count < old.count, "\(name): format 2 is \(written.count) bytes, format 1 \(old.count)")
        }
    }
}
