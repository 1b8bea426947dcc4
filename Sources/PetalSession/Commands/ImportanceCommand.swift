import PetalData
import PetalML

/// `importance P [method=impurity|permutation]`: which features the fitted model leans on.
public enum ImportanceCommand: PetalCommand {
    public static let name = "importance"
    public static let syntax = "importance P [method=impurity|permutation] [repeats=5] [seed=0]"
    public static let summary = "feature importance: impurity decrease for trees, permutation for any model"
    static let method = CommandOption("method", .choice(["impurity", "permutation"]),
                                      help: "default: impurity for trees and forests, permutation otherwise")
    static let repeats = CommandOption("repeats", .integer(1...1000), default: "5", help: "permutation: shuffles per feature")
    static let seed = CommandOption("seed", aliases: ["random_state"], .integer(0...Int(UInt32.max)), default: "0",
                                    help: "permutation: the shuffles' seed")
    public static let options = [method, repeats, seed]
    public static let help = """
        impurity: how much each feature's splits reduced impurity, averaged over the trees (trees and forests only).
        permutation: how much the score (accuracy or R²) on the held-out rows drops when one feature's values
        are shuffled, averaged over repeats — works for every model.
        """

    public static func complete(_ context: CompletionContext) -> [String] { context.session.pipelines.map(\.name) }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a pipeline", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let entry = try session.pipeline(name)
        let fit = try entry.fitted()
        let features = fit.model.schema.features
        let impurity = Importance.impurity(fit.model)
        let method = try args.choice(Self.method) ?? (impurity == nil ? "permutation" : "impurity")
        switch method {
        case "impurity":
            guard let values = impurity else {
                throw PetalError("\(name) has no trees, so it has no impurity importance", hint: "use method=permutation")
            }
            return ImportanceOutput(pipeline: name, method: method, features: features, values: values, std: nil)
        case "permutation":
            let repeats = try args.int(Self.repeats)
            let seed = try args.int(Self.seed)
            let (mean, std) = Importance.permutation(fit.model, x: fit.scoredX, target: fit.scoredTarget, repeats: repeats, seed: UInt64(seed))
            return ImportanceOutput(pipeline: name, method: method, features: features, values: mean, std: std)
        default:
            throw PetalError("method=\(method) is not impurity or permutation")
        }
    }
}

/// The result of `importance`, most important first.
public struct ImportanceOutput: CommandOutput {
    public var pipeline: String
    public var method: String
    public var features: [String]
    public var values: [Double]
    public var std: [Double]?

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let width = context.width
        let order = values.indices.sorted { values[$0] > values[$1] }
        let top = max(values.max() ?? 1, 1e-12)
        let nameWidth = min(30, features.map(TextWidth.of).max() ?? 8)
        var lines = ["\(pipeline): \(method) importance\(method == "permutation" ? " (drop in score when shuffled)" : "")"]
        for j in order {
            let bar = Bars.horizontal(max(0, values[j]) / top, width: max(10, width - nameWidth - 24), unicode: context.unicode)
            let spread = std.map { String(format: " ± %.4f", $0[j]) } ?? ""
            lines.append(pad(TextWidth.truncate(features[j], to: nameWidth), nameWidth) + "  " + String(format: "%7.4f", values[j]) + spread + "  " + bar)
        }
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .object([("pipeline", .string(pipeline)), ("method", .string(method)), ("features", .array(features.indices.map { j in
            .object([("name", .string(features[j])), ("importance", .number(values[j]))] + (std.map { [("std", JSONValue.number($0[j]))] } ?? []))
        }))])
    }
}
