import Foundation
import PetalData
import PetalML

/// One input of a demo form: a number with its training range and median, or a category with the training
/// categories (most frequent first).
public struct DemoField: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case number(min: Double, max: Double, median: Double, step: Double, integer: Bool)
        case category(choices: [String])
    }
    /// The model's input column.
    public var name: String
    /// What the form shows (`label=` overrides the column name).
    public var label: String
    public var kind: Kind

    /// The value a fresh form starts with: the training median, or the most frequent category.
    public var defaultText: String {
        switch kind {
        case .number(_, _, let median, _, let integer): return DemoField.format(median, integer: integer)
        case .category(let choices): return choices.first ?? ""
        }
    }

    public static func format(_ v: Double, integer: Bool) -> String {
        integer && v == v.rounded() ? String(Int64(v)) : NumberText.shortest((v * 1e6).rounded() / 1e6)
    }
}

/// A prediction for one filled-in form.
public struct DemoPrediction: Sendable, Equatable {
    /// The predicted class (classification), cluster (`cluster 2`) or nil for regression.
    public var label: String?
    /// Classes with their probabilities, highest first (empty for regression and clustering).
    public var probabilities: [(name: String, p: Double)]
    /// The predicted value (regression).
    public var value: Double?

    public static func == (a: DemoPrediction, b: DemoPrediction) -> Bool {
        a.label == b.label && a.value == b.value && a.probabilities.map(\.name) == b.probabilities.map(\.name)
            && a.probabilities.map(\.p) == b.probabilities.map(\.p)
    }
}

/// An example row for the form's strip: a value per field and the row's true label, when known.
public struct DemoExample: Sendable, Equatable {
    public var values: [String]
    public var label: String?
}

/// Everything a demo form needs: the fields, how to predict, examples, and where the model came from. Built
/// from a fitted pipeline in the session (or a bundle's manifest), used by the text rendering and the
/// workbench's interactive form alike.
public struct DemoModel: Sendable {
    /// The name the user gave (`p`, `iris-classifier@champion`, a bundle folder).
    public var name: String
    public var fields: [DemoField]
    public var task: LearningTask
    public var classes: [String]
    /// The target column and, for regression, its training range.
    public var target: String
    public var targetRange: ClosedRange<Double>?
    public var examples: [DemoExample]
    /// The bundle folder, when served from one (for the `curl` request it shows).
    public var bundlePath: String?
    let model: FittedPipeline

    /// True for iris-like data: the form draws a small flower.
    public var isIris: Bool {
        Set(fields.map(\.name)).isSuperset(of: ["petal_length", "petal_width"]) && classes.contains { $0.lowercased().contains("setosa") }
    }

    /// Checks one field's text: nil when fine, else a message (a number field refuses non-numbers; outside
    /// the training range is a warning, not a refusal).
    public func problem(field index: Int, text: String) -> (message: String, refuses: Bool)? {
        guard let field = fields[safe: index] else { return nil }
        switch field.kind {
        case .number(let lo, let hi, _, _, let integer):
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                return ("\(field.label) needs a number", true)
            }
            if v < lo || v > hi {
                return ("\(field.label) \(DemoField.format(v, integer: integer)) is outside the training range "
                        + "\(DemoField.format(lo, integer: integer))–\(DemoField.format(hi, integer: integer))", false)
            }
            return nil
        case .category(let choices):
            return choices.contains(text) ? nil : ("\(field.label) \"\(text)\" was not seen in training; the model treats it as unknown", false)
        }
    }

    /// Predicts for the form's texts (one per field, in order).
    public func predict(_ texts: [String]) throws -> DemoPrediction {
        var columns: [Column] = []
        for (k, field) in fields.enumerated() {
            let text = texts[safe: k] ?? field.defaultText
            switch field.kind {
            case .number:
                guard let v = Double(text.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw PetalError("\(field.label) needs a number, not \"\(text)\"")
                }
                columns.append(Column(name: field.name, storage: .float([v])))
            case .category:
                columns.append(Column(name: field.name, storage: .text(codes: [0], dictionary: [text])))
            }
        }
        let frame = try Frame(columns: columns)
        let x = try model.schema.matrix(frame, dataset: name)
        switch task {
        case .classification:
            let p = model.predictProba(x)
            var pairs: [(name: String, p: Double)] = []
            for (k, c) in classes.enumerated() { pairs.append((c, p.columns > k ? p[0, k] : 0)) }
            let label = model.predict(x).first.flatMap { classes[safe: $0] }
            pairs.sort { $0.p > $1.p || ($0.p == $1.p && $0.name < $1.name) }
            return DemoPrediction(label: label, probabilities: pairs, value: nil)
        case .regression:
            return DemoPrediction(label: nil, probabilities: [], value: model.predictValues(x)?.first)
        case .clustering:
            let cluster = model.clusters(x)?.labels.first
            return DemoPrediction(label: cluster.map { $0 < 0 ? "noise (-1)" : "cluster \($0)" }, probabilities: [], value: nil)
        }
    }
}
