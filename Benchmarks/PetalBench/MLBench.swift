import Foundation
import PetalData
import PetalML

/// `PetalBench --ml CSV`: fit+predict times of Petal's estimators on the benchmark data (80/20 split, seed 42),
/// as Benchmarks/ml/sklearn_fit.py times scikit-learn's. Prints one JSON object.
func mlBenchmark(_ path: String) throws {
    guard let frame = try Loaders.load(path: path).frame else { throw PetalError("no frame") }
    let schema0 = try FeatureSchema.infer(frame: frame, target: "label", dataset: "bench")
    let y = try schema0.labels(frame, dataset: "bench")
    let split = TrainTestSplit.random(rows: frame.rowCount, testCount: try TrainTestSplit.testCount(rows: frame.rowCount, fraction: 0.2), seed: 42)
    let schema = try FeatureSchema.infer(frame: frame, target: "label", dataset: "bench", trainRows: split.train)
    let x = try schema.matrix(frame, dataset: "bench")
    let xtr = x.rows(split.train), xte = x.rows(split.test)
    let ytr = split.train.map { y[$0] }, yte = split.test.map { y[$0] }
    var out: [String: Any] = [:]
    for (name, text) in [("knn", "knn k=5"), ("logistic_regression", "logistic_regression"), ("decision_tree", "decision_tree"),
                         ("random_forest", "random_forest trees=50"), ("gaussian_nb", "gaussian_nb")] {
        let steps = try text.split(separator: "|").map { part -> Step in
            let words = part.split(separator: " ").map(String.init)
            return try Step(name: words[0], parameters: words.dropFirst().map { w in
                let kv = w.split(separator: "=", maxSplits: 1).map(String.init)
                return (kv[0], kv.count > 1 ? kv[1] : "")
            })
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let model = try Pipeline(steps: steps).fit(xtr, labels: ytr, schema: schema)
        let predicted = model.predict(xte)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let accuracy = Double(zip(predicted, yte).filter { $0 == $1 }.count) / Double(yte.count)
        out[name] = ["seconds": seconds, "accuracy": accuracy]
    }
    // SVC on the first 20,000 rows (a kernel method's cost grows with the square of the rows), split the same way.
    let svmRows = min(20_000, frame.rowCount)
    let head = frame.taking(Array(0..<svmRows))
    let svmSplit = TrainTestSplit.random(rows: svmRows, testCount: try TrainTestSplit.testCount(rows: svmRows, fraction: 0.2), seed: 42)
    let svmSchema = try FeatureSchema.infer(frame: head, target: "label", dataset: "bench", trainRows: svmSplit.train)
    let xs = try svmSchema.matrix(head, dataset: "bench"), ys = try svmSchema.labels(head, dataset: "bench")
    let svmStart = DispatchTime.now().uptimeNanoseconds
    let svm = try Pipeline(steps: [Step(name: "standard_scaler", parameters: []), Step(name: "svm", parameters: [])])
        .fit(xs.rows(svmSplit.train), labels: svmSplit.train.map { ys[$0] }, schema: svmSchema)
    let svmPredicted = svm.predict(xs.rows(svmSplit.test))
    out["svm"] = ["seconds": Double(DispatchTime.now().uptimeNanoseconds - svmStart) / 1e9,
                  "accuracy": Double(zip(svmPredicted, svmSplit.test.map { ys[$0] }).filter { $0 == $1 }.count) / Double(svmSplit.test.count)]
    // k-means (k=3, one k-means++ run) on the training rows, then assigning the test rows.
    let kmStart = DispatchTime.now().uptimeNanoseconds
    let km = try Pipeline(steps: [Step(name: "kmeans", parameters: [("k", "3"), ("n_init", "1")])])
        .fit(xtr, target: .none(rows: xtr.rows), schema: FeatureSchema(features: schema.features, target: "", classes: []))
    let inertia = km.clusters(xtr)?.distances.reduce(0, +) ?? 0
    _ = km.clusters(xte)
    out["kmeans"] = ["seconds": Double(DispatchTime.now().uptimeNanoseconds - kmStart) / 1e9, "inertia": inertia]
    let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}
