import Foundation
import PetalData
import PetalML

extension DemoModel {
    /// A demo of a pipeline fitted in the session: fields from its input columns, ranges, medians and categories
    /// from its training rows, and one example row per class (or the rows given).
    public static func from(pipeline entry: PipelineEntry, session: Session, labels: [String: String] = [:],
                            exampleRows: [Int]? = nil) throws -> DemoModel {
        let fit = try entry.fitted()
        let data = try session.dataset(fit.dataset)
        let train = fit.split.train.allSatisfy { $0 < data.frame.rowCount } ? fit.split.train : Array(0..<data.frame.rowCount)
        return try from(model: fit.model, name: entry.name, data: data, trainingRows: train, labels: labels, exampleRows: exampleRows)
    }

    /// A demo of `model` with its fields' ranges and examples from `trainingRows` of `data`.
    static func from(model: FittedPipeline, name: String, data: Dataset, trainingRows train: [Int], labels: [String: String],
                     exampleRows: [Int]?) throws -> DemoModel {
        let frame = data.frame
        let schema = model.schema
        var names: [String] = []
        for input in schema.inputs {
            switch input {
            case .number(let n), .oneHot(let n, _), .ordinal(let n, _): if !names.contains(n) { names.append(n) }
            case .cross(let a, let b, _): for n in [a, b] where !names.contains(n) { names.append(n) }
            }
        }
        var fields: [DemoField] = []
        for n in names {
            let c = try frame.requireColumn(n, dataset: data.name)
            fields.append(try field(c, rows: train, label: labels[n] ?? n))
        }
        let task = model.task
        var range: ClosedRange<Double>?
        if task == .regression, let t = frame.column(named: schema.target)?.doublesWithNaN() {
            let v = train.map { t[$0] }.filter(\.isFinite)
            if let lo = v.min(), let hi = v.max() { range = lo...hi }
        }
        let target = frame.column(named: schema.target)
        var rows = exampleRows ?? []
        if exampleRows == nil, let target, task == .classification {
            for cls in schema.classes {
                if let r = train.first(where: { target.isValid($0) && target[$0].plainText == cls }) { rows.append(r) }
            }
        } else if exampleRows == nil {
            rows = Array(train.prefix(3))
        }
        for r in rows where r < 0 || r >= frame.rowCount {
            throw PetalError("example row \(r) is not in \(data.name) (rows 0 to \(frame.rowCount - 1))", hint: "examples=ROW,ROW,… takes row numbers")
        }
        let examples = try rows.map { r in
            DemoExample(values: try names.map { n in try text(frame.requireColumn(n, dataset: data.name), r) },
                        label: target.flatMap { $0.isValid(r) ? $0[r].plainText : nil })
        }
        return DemoModel(name: name, fields: fields, task: task, classes: schema.classes, target: schema.target,
                         targetRange: range, examples: examples, bundlePath: nil, model: model)
    }

    /// A form field for a training column.
    static func field(_ c: Column, rows: [Int], label: String) throws -> DemoField {
        if c.type == .text || c.type == .bool {
            var counts: [String: Int] = [:]
            var order: [String] = []
            for r in rows where c.isValid(r) {
                let v = c[r].plainText
                if counts[v] == nil { order.append(v) }
                counts[v, default: 0] += 1
            }
            let choices = order.sorted { (counts[$0] ?? 0, $1) > (counts[$1] ?? 0, $0) }
            return DemoField(name: c.name, label: label, kind: .category(choices: choices))
        }
        guard let all = c.doublesWithNaN() else {
            throw PetalError("column \(c.name) is \(c.type.rawValue); a demo form takes numbers and text")
        }
        var values = rows.map { all[$0] }.filter(\.isFinite)
        guard let lo = values.min(), let hi = values.max() else {
            return DemoField(name: c.name, label: label, kind: .number(min: 0, max: 0, median: 0, step: 1, integer: c.type == .int))
        }
        let q = Quantiles.compute(&values, [0.25, 0.5, 0.75])
        let integer = c.type == .int
        // A nudge moves a tenth of the middle half of the data, rounded to a readable step.
        let spread = q[2] - q[0] > 0 ? q[2] - q[0] : (hi - lo > 0 ? hi - lo : 1)
        return DemoField(name: c.name, label: label, kind: .number(min: lo, max: hi, median: q[1], step: step(spread: spread, integer: integer), integer: integer))
    }

    static func text(_ c: Column, _ r: Int) -> String {
        guard c.isValid(r) else { return "" }
        if case .float(let v) = c[r] { return DemoField.format(v, integer: false) }
        return c[r].plainText
    }
}
