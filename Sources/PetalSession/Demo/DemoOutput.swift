import Foundation
import PetalData

/// The result of `demo`: a model's form filled with values, and its prediction. As text (notebooks, `petal
/// exec`) it draws the form once; the workbench opens it as an interactive form.
public struct DemoOutput: CommandOutput {
    public var model: DemoModel
    /// One text per field, in order.
    public var texts: [String]
    /// Predict on every keystroke in the workbench.
    public var live: Bool

    /// The prediction for the current texts, or the error that stops it (a field that is not a number).
    public var prediction: Result<DemoPrediction, PetalError> {
        if let refused = model.fields.indices.compactMap({ i in model.problem(field: i, text: texts[safe: i] ?? "") })
            .first(where: \.refuses) {
            return .failure(PetalError(refused.message))
        }
        do { return .success(try model.predict(texts)) } catch let e as PetalError { return .failure(e) } catch {
            return .failure(PetalError("\(error)"))
        }
    }

    /// Warnings about values outside the training range or unseen categories.
    public var notes: [String] {
        model.fields.indices.compactMap { i in model.problem(field: i, text: texts[safe: i] ?? "") }.filter { !$0.refuses }.map(\.message)
    }

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let width = context.width
        var lines = ["demo of \(model.name) → \(model.target.isEmpty ? "clusters" : model.target)" + (live ? " (live)" : "")]
        let labelWidth = model.fields.map { TextWidth.of($0.label) }.max() ?? 0
        for (i, field) in model.fields.enumerated() {
            let value = texts[safe: i] ?? field.defaultText
            var line = "  " + pad(field.label, labelWidth) + "  [ " + pad(value, 10) + " ]  "
            switch field.kind {
            case .number(let lo, let hi, _, _, let integer):
                line += "\(DemoField.format(lo, integer: integer)) – \(DemoField.format(hi, integer: integer))"
            case .category(let choices):
                line += choices.prefix(6).joined(separator: " | ") + (choices.count > 6 ? " | …" : "")
            }
            lines.append(line)
        }
        lines.append("")
        switch prediction {
        case .failure(let e): lines.append("  cannot predict: \(e.message)")
        case .success(let p): lines += DemoOutput.result(p, model: model, width: width, unicode: context.unicode)
        }
        for n in notes { lines.append("  warning: \(n)") }
        if !model.examples.isEmpty {
            lines.append("")
            lines.append("examples:")
            for (k, e) in model.examples.enumerated() {
                lines.append("  \(k + 1). " + e.values.joined(separator: ", ") + (e.label.map { " → \($0)" } ?? ""))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The prediction's lines: the label large, a bar per class highest first, the flower for iris.
    static func result(_ p: DemoPrediction, model: DemoModel, width: Int, unicode: Bool) -> [String] {
        var lines: [String] = []
        if let value = p.value {
            let range = model.targetRange.map { " (training range \(NumberFormat.single($0.lowerBound)) – \(NumberFormat.single($0.upperBound)))" } ?? ""
            lines.append("  predicted \(model.target): \(NumberFormat.single(value))" + range)
            return lines
        }
        guard let label = p.label else { return ["  no prediction"] }
        let big = label.uppercased().map(String.init).joined(separator: " ")
        let top = p.probabilities.first.map { String(format: "  %.0f%%", $0.p * 100) } ?? ""
        let box = TextWidth.of(big) + TextWidth.of(top) + 4
        lines.append(unicode ? "  ╭" + String(repeating: "─", count: box) + "╮" : "  +" + String(repeating: "-", count: box) + "+")
        lines.append((unicode ? "  │  " : "  |  ") + big + top + (unicode ? "  │" : "  |"))
        lines.append(unicode ? "  ╰" + String(repeating: "─", count: box) + "╯" : "  +" + String(repeating: "-", count: box) + "+")
        let nameWidth = p.probabilities.map { TextWidth.of($0.name) }.max() ?? 0
        let barWidth = max(10, min(40, width - nameWidth - 14))
        for (name, prob) in p.probabilities {
            let bar = Bars.horizontal(prob, width: barWidth, unicode: unicode)
            lines.append("  " + pad(name, nameWidth) + "  " + pad(bar, barWidth) + String(format: "  %.2f", prob))
        }
        if model.isIris, let flower = Flower.drawing(for: label, unicode: unicode) {
            lines.append("")
            lines += flower.map { "    " + $0 }
        }
        return lines
    }

    public func json() -> JSONValue {
        var result: [(String, JSONValue)] = [("model", .string(model.name)),
                                             ("inputs", .object(model.fields.enumerated().map { ($1.name, .string(texts[safe: $0] ?? "")) }))]
        switch prediction {
        case .failure(let e): result.append(("error", .string(e.message)))
        case .success(let p):
            result.append(("label", p.label.map { .string($0) } ?? .null))
            result.append(("value", p.value.map { .number($0) } ?? .null))
            result.append(("probabilities", .object(p.probabilities.map { ($0.name, .number($0.p)) })))
        }
        result.append(("warnings", .array(notes.map { .string($0) })))
        return .object(result)
    }
}
