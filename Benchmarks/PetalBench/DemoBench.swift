import Foundation
import PetalData
import PetalSession
import PetalTUI

/// Issue 7's benchmark: keystroke to updated prediction in the demo form's live mode, for every estimator
/// family on iris. Each sample is one key handled by the form (a nudge or a typed digit, which predicts in
/// live mode) plus rendering the whole 120×40 screen, which is what the workbench does per key (writing the
/// changed cells to the terminal is measured by Benchmarks/run-workbench).
func demoBenchmark(keys: Int = 400) throws {
    let families: [(String, String, String)] = [
        ("knn", "standard_scaler | knn k=5", "variety"), ("gaussian_nb", "gaussian_nb", "variety"),
        ("logistic_regression", "standard_scaler | logistic_regression", "variety"), ("decision_tree", "decision_tree", "variety"),
        ("random_forest", "random_forest trees=100", "variety"), ("gradient_boosting", "gradient_boosting", "variety"),
        ("linear_regression", "linear_regression", "petal_width"), ("ridge", "ridge", "petal_width"), ("kmeans", "standard_scaler | kmeans k=3", ""),
    ]
    var results: [String] = []
    for (name, pipeline, target) in families {
        let session = Session(width: 120)
        session.store(BundledSamples.iris(), as: "iris", source: "built-in")
        let w = Workbench(session: session)
        w.runNow("pipeline p = \(pipeline)")
        w.runNow("fit p on iris" + (target.isEmpty ? "" : " target=\(target)"))
        w.runNow("demo p live=on")
        guard w.currentView is DemoView else { throw PetalError("\(name): no demo form (\(w.log.last?.text ?? ""))") }
        let script: [Key] = [.tab, .tab, .up, .up, .down, .character("+"), .character("-"), .backspace, .character("3"), .character("."), .character("1")]
        var samples: [Double] = []
        var grid = Grid(width: 120, height: 40)
        for k in 0..<keys {
            let key = script[k % script.count]
            let start = DispatchTime.now().uptimeNanoseconds
            _ = w.handle(key)
            w.render(into: &grid, line: CommandLineState())
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        samples.sort()
        let median = samples[samples.count / 2], p99 = samples[Int(Double(samples.count - 1) * 0.99)], worst = samples.last ?? 0
        results.append("\"\(name)\": {\"median_ms\": \(median), \"p99_ms\": \(p99), \"max_ms\": \(worst), \"keys\": \(samples.count)}")
    }
    print("{" + results.joined(separator: ", ") + "}")
}
