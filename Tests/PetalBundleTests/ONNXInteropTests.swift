import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// Every estimator family, with and without preprocessing, exported to ONNX, checked by
/// `onnx.checker.check_model(full_check=True)` and run by onnxruntime (scripts/onnx_run.py) on held-out rows:
/// labels must be equal and probabilities within 1e-5 of Petal's. Needs `.build/venv` with onnx and
/// onnxruntime (`scripts/test` creates it); skipped with a message otherwise.
@Suite struct ONNXInteropTests {
    /// The venv's python, or `PETAL_ONNX_PYTHON` (to check another onnxruntime, e.g. an older one).
    static let python = ProcessInfo.processInfo.environment["PETAL_ONNX_PYTHON"].map { URL(fileURLWithPath: $0) }
        ?? Fixture.root.appendingPathComponent(".build/venv/bin/python")
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: python.path)
            && (try? Process.run(python, arguments: ["-c", "import onnx, onnxruntime"]).waitUntilExitReturning()) == 0
    }

    struct Case {
        var pipeline: String
        var data: String
        var target: String?
        var task: LearningTask
        /// A binary classifier's decision threshold (`threshold P x`): the graph's label must make the same cut.
        var threshold: Double? = nil
    }

    /// Hand-picked pipelines (every family, with preprocessing and text columns), then one case per registered
    /// step and task (`registryCases`), so a new family is checked against onnxruntime the moment it is registered.
    static let cases: [Case] = picked + registryCases

    /// Each registered estimator for each task it does, after a scaler; each transform before kNN.
    static let registryCases: [Case] = Steps.all.flatMap { entry -> [Case] in
        let small = entry.parameter("n_estimators") != nil ? " n_estimators=8" : ""
        switch entry.role {
        case .estimator(let tasks):
            let scaler = entry.name == "multinomial_nb" ? "min_max_scaler" : "standard_scaler"
            let projects = (try? Step(name: entry.name, parameters: []))?.recipe is any SupervisedTransformRecipe
            let projection = projects ? [Case(pipeline: "\(entry.name) | knn k=3", data: "iris", target: "variety", task: .classification)] : []
            return projection + [LearningTask.classification, .regression, .clustering].filter(tasks.contains).map { task in
                switch task {
                case .classification: return Case(pipeline: "\(scaler) | \(entry.name)\(small)", data: "iris", target: "variety", task: task)
                case .regression: return Case(pipeline: "\(scaler) | \(entry.name)\(small)", data: "iris", target: "petal_width", task: task)
                case .clustering:
                    // Three clusters where the step takes a count (k: n_clusters, n_components); dbscan finds its own.
                    let k = entry.parameter("k") != nil ? " k=3" : ""
                    return Case(pipeline: "standard_scaler | \(entry.name)\(k)", data: "iris-numbers", target: nil, task: task)
                }
            }
        case .transform: return [Case(pipeline: "\(entry.name) | knn k=3", data: "iris", target: "variety", task: .classification)]
        case .encoding: return []   // they need columns= naming text columns: the penguins cases above cover each
        }
    }

    static let picked: [Case] = [
        Case(pipeline: "knn k=5", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "standard_scaler | knn k=3", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "min_max_scaler | knn k=7 weights=distance metric=manhattan", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "gaussian_nb", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "robust_scaler | gaussian_nb", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "logistic_regression", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "power_transform | logistic_regression C=0.5", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "decision_tree", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "bins n_bins=4 | decision_tree max_depth=4", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "random_forest n_estimators=15 random_state=2", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "gradient_boosting n_estimators=20", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "standard_scaler | gradient_boosting n_estimators=10 max_depth=2", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "logistic_regression", data: "iris2", target: "variety", task: .classification),
        Case(pipeline: "gradient_boosting n_estimators=10", data: "iris2", target: "variety", task: .classification),
        Case(pipeline: "random_forest n_estimators=9", data: "iris2", target: "variety", task: .classification),
        Case(pipeline: "logistic_regression", data: "iris2", target: "variety", task: .classification, threshold: 0.2),
        Case(pipeline: "standard_scaler | svm", data: "iris2", target: "variety", task: .classification, threshold: 0.8),
        Case(pipeline: "random_forest n_estimators=9", data: "iris2", target: "variety", task: .classification, threshold: 0.7),
        Case(pipeline: "linear_regression", data: "iris", target: "petal_width", task: .regression),
        Case(pipeline: "standard_scaler | ridge alpha=3", data: "iris", target: "petal_width", task: .regression),
        Case(pipeline: "knn k=4", data: "iris", target: "petal_width", task: .regression),
        Case(pipeline: "min_max_scaler | knn k=6 weights=distance", data: "iris", target: "petal_width", task: .regression),
        Case(pipeline: "decision_tree max_depth=5", data: "iris", target: "petal_width", task: .regression),
        Case(pipeline: "random_forest n_estimators=8", data: "iris", target: "petal_width", task: .regression),
        Case(pipeline: "gradient_boosting n_estimators=15", data: "iris", target: "petal_width", task: .regression),
        Case(pipeline: "kmeans k=3 random_state=1", data: "iris-numbers", target: nil, task: .clustering),
        Case(pipeline: "standard_scaler | svm", data: "iris2", target: "variety", task: .classification),
        Case(pipeline: "standard_scaler | svm kernel=poly degree=2 coef0=1 probability=true", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "standard_scaler | svm kernel=sigmoid gamma=0.1 class_weight=balanced", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "standard_scaler | svm kernel=linear C=10", data: "iris", target: "variety", task: .classification),
        Case(pipeline: "standard_scaler | svm kernel=poly gamma=auto epsilon=0.05", data: "iris", target: "petal_width", task: .regression),
        Case(pipeline: "standard_scaler | kmeans k=4", data: "iris-numbers", target: nil, task: .clustering),
        Case(pipeline: "imputer strategy=median | one_hot | standard_scaler columns=number | logistic_regression", data: "penguins", target: "species", task: .classification),
        Case(pipeline: "imputer | ordinal columns=island | drop columns=year | gradient_boosting n_estimators=8", data: "penguins", target: "species", task: .classification),
        Case(pipeline: "imputer strategy=most_frequent | feature_cross columns=island,sex | gaussian_nb", data: "penguins", target: "species", task: .classification),
        Case(pipeline: "imputer strategy=constant fill_value=-1 | min_max_scaler columns=bill_length_mm,flipper_length_mm | knn", data: "penguins", target: "species", task: .classification),
        Case(pipeline: "imputer | power_transform method=log | bins strategy=uniform | decision_tree", data: "penguins", target: "species", task: .classification),
        Case(pipeline: "imputer | power_transform columns=number | random_forest n_estimators=6", data: "penguins", target: "species", task: .classification),
        Case(pipeline: "imputer | power_transform method=sqrt | ridge", data: "penguins-mass", target: "body_mass_g", task: .regression),
        // Missing numbers reach the trees (no imputer): each split's missing-value side must match.
        Case(pipeline: "hist_gradient_boosting max_iter=15 min_samples_leaf=5", data: "penguins", target: "species", task: .classification),
        Case(pipeline: "hist_gradient_boosting max_iter=15", data: "penguins-mass", target: "body_mass_g", task: .regression),
    ]

    static func frame(_ name: String) throws -> Frame {
        switch name {
        case "iris": return try Fixture.sample("iris.csv")
        case "iris2":
            let iris = try Fixture.sample("iris.csv")
            let v = try iris.requireColumn("variety")
            return iris.filter { v[$0] != .text("setosa") }
        case "iris-numbers": return try Fixture.sample("iris.csv").dropping(["variety"])
        case "penguins-mass": return try Fixture.penguins(target: "body_mass_g")
        default: return try Fixture.penguins()
        }
    }

    /// Feeds for onnx_run.py: each input column of the held-out rows (null for missing).
    static func feeds(_ frame: Frame, _ manifest: BundleManifest) throws -> Data {
        var out: [String: Any] = [:]
        for field in manifest.inputs {
            let c = try frame.requireColumn(field.name)
            out[field.name] = (0..<c.count).map { i -> Any in
                guard c.isValid(i) else { return NSNull() }
                return field.type == .number ? (c.doublesWithNaN()?[i] ?? Double.nan) as Any : c[i].plainText as Any
            }
        }
        return try JSONSerialization.data(withJSONObject: out)
    }

    @Test(.enabled(if: available, "skipped: needs .build/venv with onnx and onnxruntime (scripts/test creates it)"))
    func everyFamilyMatchesOnnxRuntime() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var arguments = [Fixture.root.appendingPathComponent("scripts/onnx_run.py").path]
        var expected: [(Case, BundlePrediction)] = []
        for (i, c) in Self.cases.enumerated() {
            let frame = try Self.frame(c.data)
            let test = Array(stride(from: 0, to: frame.rowCount, by: 4)), train = (0..<frame.rowCount).filter { $0 % 4 != 0 }
            let model = try Fixture.fit(c.pipeline, frame, target: c.target, task: c.task, train: train).withThreshold(c.threshold)
            let dir = try Fixture.export(model, training: frame.taking(train), in: folder, name: "m\(i)")
            let bundle = try ServingBundle.load(from: dir)
            let held = frame.taking(test)
            expected.append((c, try bundle.predict(held)))
            let feeds = folder.appendingPathComponent("feeds\(i).json")
            try Self.feeds(held, bundle.manifest).write(to: feeds)
            arguments += [dir.appendingPathComponent("model.onnx").path, feeds.path]
        }
        let output = try Self.run(arguments)
        let json = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        let results = try #require(json["results"] as? [[String: Any]])
        print("onnx \(json["onnx"] ?? "?"), onnxruntime \(json["onnxruntime"] ?? "?"): \(results.count) models")
        for ((c, petal), result) in zip(expected, results) {
            let name = "\(c.pipeline) on \(c.data)"
            guard let outputs = result["outputs"] as? [String: Any] else {
                Issue.record("\(name): \(result["error"] ?? "no outputs")"); continue
            }
            switch c.task {
            case .classification:
                #expect(outputs["label"] as? [String] == petal.labels, "\(name): labels differ")
                if let t = c.threshold, let probabilities = petal.probabilities {
                    // The cut, not the most probable class: the positive class exactly where its probability reaches t.
                    let classes = ["versicolor", "virginica"]
                    #expect(petal.labels == (0..<petal.count).map { classes[probabilities[$0, 1] >= t ? 1 : 0] }, "\(name): threshold \(t)")
                }
                let p = try #require(outputs["probabilities"] as? [[Double]], "\(name)")
                var worst = 0.0
                for r in 0..<petal.count { for (k, v) in p[r].enumerated() { worst = max(worst, abs(v - (petal.probabilities?[r, k] ?? .nan))) } }
                #expect(worst <= 1e-5, "\(name): probabilities differ by \(worst)")
            case .regression:
                let v = try #require(outputs["value"] as? [[Double]], "\(name)")
                let worst = zip(v.map { $0.first ?? .nan }, petal.values).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .nan
                #expect(worst <= 1e-5, "\(name): values differ by \(worst) (relative)")
            case .clustering:
                #expect(outputs["label"] as? [Int] == petal.clusters, "\(name): clusters differ")
            }
        }
    }

    /// Runs the venv's python with `arguments` and returns its standard output.
    static func run(_ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        let out = Pipe()
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("onnx_run-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errors = (try? Data(contentsOf: errorFile)) ?? Data()
        guard process.terminationStatus == 0 else {
            throw PetalError("onnx_run.py failed: " + String(decoding: errors, as: UTF8.self))
        }
        return data
    }
}

extension Process {
    /// Waits and returns the exit status.
    func waitUntilExitReturning() -> Int32 { waitUntilExit(); return terminationStatus }
}
