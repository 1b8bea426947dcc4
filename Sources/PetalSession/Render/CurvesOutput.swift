import Foundation
import PetalData
import PetalML

/// The result of `curves`: per-class ROC, precision–recall and calibration curves and the learning curve, laid
/// out as braille panels (the same cells in text output and in the workbench) with the numbers beside them.
public struct CurvesOutput: CommandOutput {
    public var pipeline: String
    public var dataset: String
    public var scoredRows: Int
    public var trainOnly: Bool
    public var trainRows: Int
    public var bins: Int
    public var folds: Int
    /// One per class (for two classes, the positive one only); empty for a regressor.
    public var classes: [ClassCurves]
    public var learning: LearningCurve

    var metric: String { learning.task == .regression ? "r2" : "accuracy" }

    /// Mean over folds, leaving out failed fits (NaN).
    static func mean(_ v: [Double]) -> Double {
        let finite = v.filter(\.isFinite)
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Double(finite.count)
    }

    static func std(_ v: [Double]) -> Double {
        let finite = v.filter(\.isFinite), m = mean(finite)
        return finite.isEmpty ? .nan : (finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finite.count)).squareRoot()
    }

    /// Points along straight segments between the curve's points, so a dot plot reads as lines.
    static func line(_ xs: [Double], _ ys: [Double], series: Int, steps: Int = 48) -> (xs: [Double], ys: [Double], series: [Int]) {
        var outX: [Double] = [], outY: [Double] = []
        let points = zip(xs, ys).filter { $0.0.isFinite && $0.1.isFinite }
        for (i, (x, y)) in points.enumerated() {
            outX.append(x); outY.append(y)
            guard i + 1 < points.count else { break }
            let (nx, ny) = points[i + 1]
            for s in 1..<steps {
                let t = Double(s) / Double(steps)
                outX.append(x + (nx - x) * t); outY.append(y + (ny - y) * t)
            }
        }
        return (outX, outY, Array(repeating: series, count: outX.count))
    }

    /// The panels: (title, x name, y name, points with their series).
    var panels: [(title: String, x: String, y: String, points: (xs: [Double], ys: [Double], series: [Int]))] {
        func joined(_ parts: [(xs: [Double], ys: [Double], series: [Int])]) -> (xs: [Double], ys: [Double], series: [Int]) {
            (parts.flatMap(\.xs), parts.flatMap(\.ys), parts.flatMap(\.series))
        }
        let sizes = learning.sizes.map(Double.init)
        let learningPanel = ("learning curve", "training rows", "\(metric): train, validation",
                             joined([Self.line(sizes, learning.train.map(Self.mean), series: 0),
                                     Self.line(sizes, learning.test.map(Self.mean), series: 1)]))
        guard !classes.isEmpty else { return [learningPanel] }
        return [
            ("ROC", "false positive rate", "true positive rate",
             joined(classes.enumerated().compactMap { k, c in c.roc.map { Self.line($0.fpr, $0.tpr, series: k) } })),
            ("precision-recall", "recall", "precision",
             joined(classes.enumerated().compactMap { k, c in c.pr.map { Self.line($0.recall, $0.precision, series: k) } })),
            ("calibration", "mean predicted probability", "fraction of the class",
             joined(classes.enumerated().map { k, c in Self.line(c.calibration.meanPredicted, c.calibration.fractionPositive, series: k) })),
            learningPanel,
        ]
    }

    /// The plots as rows of cells: two panels across when there are several and room for them; panels that do
    /// not fit the height (at least 6 rows each) are left out, the first ones kept.
    public func layout(width: Int, height: Int, unicode: Bool) -> [[PlotCell]] {
        var rows = Array(repeating: Array(repeating: PlotCell.blank, count: max(0, width)), count: max(0, height))
        let panels = self.panels
        let across = panels.count > 1 && width >= 40 ? 2 : 1
        let down = (panels.count + across - 1) / across
        let panelW = width / across, panelH = max(6, height / max(1, down))
        guard panelW >= 12 else { return rows }
        for (i, panel) in panels.enumerated() {
            let px = (i % across) * panelW, py = (i / across) * panelH
            guard py + panelH <= height else { break }
            ScatterPanel.write(&rows, panel.title, x: px + max(0, (panelW - 1 - TextWidth.of(panel.title)) / 2), y: py, role: .title)
            ScatterPanel.draw(xs: panel.points.xs, ys: panel.points.ys, classes: panel.points.series, into: &rows, x: px, y: py + 1,
                              width: panelW - 2, height: panelH - 1, xName: panel.x, yName: panel.y, unicode: unicode, axes: true)
        }
        return rows
    }

    /// Legend entries: each class with its AUC and AP (the learning curve's colours are the first two).
    public var legend: [String] {
        classes.map { c in
            c.name + " AUC " + (c.rocAUC.map { String(format: "%.3f", $0) } ?? "n/a") + " AP " + (c.averagePrecision.map { String(format: "%.3f", $0) } ?? "n/a")
        }
    }

    public var title: String {
        "\(pipeline) on \(dataset): " + (classes.isEmpty ? "learning curve" : "curves on \(trainOnly ? "the \(scoredRows) training rows (test=0)" : "\(scoredRows) held-out rows")")
    }

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let width = context.width
        var text = title + "\n"
        if !classes.isEmpty {
            var t = TextTable(headers: ["class", "ROC AUC", "average precision"], alignments: [.left, .right, .right],
                              rows: classes.map { c in
                                  [c.name, c.rocAUC.map { String(format: "%.4f", $0) } ?? "n/a (absent)",
                                   c.averagePrecision.map { String(format: "%.4f", $0) } ?? "n/a (absent)"]
                              })
            t.stickyColumns = 1
            text += t.render(width: width) + "\n"
        }
        for row in layout(width: width, height: classes.isEmpty ? 14 : 28, unicode: context.unicode) {
            var s = row.map(\.text).joined()
            while s.hasSuffix(" ") { s.removeLast() }
            text += s + "\n"
        }
        if classes.count > 1 { text += "colours: " + classes.map(\.name).joined(separator: ", ") + " (in the workbench)\n" }
        for c in classes {
            let cal = c.calibration
            text += "calibration of \(c.name) (\(bins) bins; mean predicted → share of the class, rows): "
                + cal.meanPredicted.indices.map { String(format: "%.2f→%.2f (%d)", cal.meanPredicted[$0], cal.fractionPositive[$0], cal.counts[$0]) }
                    .joined(separator: " · ") + "\n"
        }
        var t = TextTable(headers: ["rows", "train " + metric, "± std", "validation", "± std"],
                          alignments: [.right, .right, .right, .right, .right],
                          rows: learning.sizes.indices.map { s in
                              [String(learning.sizes[s]), String(format: "%.4f", Self.mean(learning.train[s])), String(format: "%.4f", Self.std(learning.train[s])),
                               String(format: "%.4f", Self.mean(learning.test[s])), String(format: "%.4f", Self.std(learning.test[s]))]
                          })
        t.stickyColumns = 1
        text += "learning curve: \(folds) \(learning.task == .regression ? "" : "stratified ")folds of the \(trainRows) training rows\n" + t.render(width: width)
        return text
    }

    public func json() -> JSONValue {
        func numbers(_ v: [Double]) -> JSONValue { .array(v.map { .number($0) }) }
        return .object([
            ("pipeline", .string(pipeline)), ("dataset", .string(dataset)), ("rows", .int(scoredRows)), ("bins", .int(bins)),
            ("classes", .array(classes.map { c in
                .object([
                    ("class", .string(c.name)),
                    ("roc", c.roc.map { .object([("fpr", numbers($0.fpr)), ("tpr", numbers($0.tpr)), ("thresholds", numbers($0.thresholds))]) } ?? .null),
                    ("roc_auc", .number(c.rocAUC)),
                    ("precision_recall", c.pr.map { .object([("precision", numbers($0.precision)), ("recall", numbers($0.recall)),
                                                             ("thresholds", numbers($0.thresholds))]) } ?? .null),
                    ("average_precision", .number(c.averagePrecision)),
                    ("calibration", .object([("prob_pred", numbers(c.calibration.meanPredicted)), ("prob_true", numbers(c.calibration.fractionPositive)),
                                             ("counts", .array(c.calibration.counts.map { .int($0) }))])),
                ])
            })),
            ("learning_curve", .object([
                ("metric", .string(metric)), ("folds", .int(folds)), ("train_sizes", .array(learning.sizes.map { .int($0) })),
                ("train_scores", .array(learning.train.map(numbers))), ("test_scores", .array(learning.test.map(numbers))),
            ])),
        ])
    }
}
