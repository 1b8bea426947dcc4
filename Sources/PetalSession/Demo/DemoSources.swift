import Foundation
import PetalBundle
import PetalData
import PetalML

extension DemoModel {
    /// A demo of a serving bundle: fields from its manifest's input schema (training ranges, medians, quartiles
    /// for the nudge step, categories by training share), predictions by its model. Examples come with the
    /// bundle's manifest when it has them.
    public static func from(bundle: ServingBundle, path: String, labels: [String: String] = [:]) -> DemoModel {
        let m = bundle.manifest
        let fields = m.inputs.map { input -> DemoField in
            let label = labels[input.name] ?? input.name
            switch input.type {
            case .number:
                let lo = input.min ?? 0, hi = input.max ?? 0, median = input.median ?? (lo + hi) / 2
                let p = input.profile.percentiles ?? []
                let iqr = p.count == 101 ? p[75] - p[25] : hi - lo
                return DemoField(name: input.name, label: label,
                                 kind: .number(min: lo, max: hi, median: median, step: step(spread: iqr > 0 ? iqr : hi - lo, integer: input.dtype == "int"),
                                               integer: input.dtype == "int"))
            case .text:
                let shares = input.profile.categoryShares ?? [:]
                let choices = (input.categories ?? []).sorted { (shares[$0] ?? 0, $1) > (shares[$1] ?? 0, $0) }
                return DemoField(name: input.name, label: label, kind: .category(choices: choices))
            }
        }
        let examples = (m.examples ?? []).map { e in
            DemoExample(values: fields.map { e.values[$0.name] ?? $0.defaultText }, label: e.label)
        }
        return DemoModel(name: path, fields: fields, task: m.task, classes: m.classLabels, target: m.target, targetRange: nil,
                         examples: examples, bundlePath: path, model: bundle.model)
    }

    /// A demo of a registered model (`NAME@alias`, `NAME/version`): its saved model, with input ranges and
    /// examples from the data set its run was trained on (`Session.registeredTraining`).
    public static func from(registered t: RegisteredTraining, reference: String, labels: [String: String] = [:],
                            exampleRows: [Int]? = nil) throws -> DemoModel {
        try from(model: t.model.model, name: reference, data: t.data, trainingRows: Array(0..<t.data.frame.rowCount),
                 labels: labels, exampleRows: exampleRows)
    }

    /// A readable nudge: a power of ten near a tenth of the spread.
    static func step(spread: Double, integer: Bool) -> Double {
        var s = pow(10, (log10(max(spread, 1e-12) / 10)).rounded(.down))
        if integer { s = max(1, s.rounded()) }
        return s
    }
}
