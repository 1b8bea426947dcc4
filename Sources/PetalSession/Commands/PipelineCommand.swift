import PetalData
import PetalML

/// `pipeline P = STEP [k=v …] | STEP …`: defines a pipeline of transforms ending in an estimator.
public enum PipelineCommand: PetalCommand {
    public static let name = "pipeline"
    public static let syntax = "pipeline P = STEP [name=value …] | STEP …"
    public static let summary = "define a pipeline: transforms, then an estimator (e.g. standard_scaler | knn k=3)"
    public static let parsesOwnText = true
    public static var help: String {
        var lines = ["Steps take scikit-learn's parameter names (short aliases in brackets); `help STEP` lists them.", ""]
        for s in Steps.all { lines.append("  " + pad(s.name, 16) + "  " + s.summary) }
        lines += ["", "Example:", "  pipeline p = standard_scaler | knn k=3"]
        return lines.joined(separator: "\n")
    }

    public static func complete(_ context: CompletionContext) -> [String] {
        guard context.previous.count >= 2 else { return [] }
        let last = context.previous.last ?? ""
        if last == "=" || last == "|" { return Steps.all.map(\.name) }
        // Parameters of the step being written.
        let entry = context.previous.reversed().lazy.compactMap { Steps.entry(named: $0) }.first
        let params = entry?.parameters ?? []
        return params.flatMap { [$0.name + "="] + $0.aliases.map { $0 + "=" } } + (entry?.isEstimator == false ? ["columns="] : []) + ["|"]
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        guard case .word(let name, _)? = args.tokens.first, args.tokens.count >= 2, args.tokens[1] == .equals else {
            throw PetalError("pipeline needs a name, = and steps", hint: "usage: \(syntax)")
        }
        _ = try OpenCommand.validName(name)
        let recipe = try build(try specifications(Array(args.tokens.dropFirst(2))))
        let text = args.rawText.drop { $0 != "=" }.dropFirst().trimmingCharacters(in: .whitespaces)
        session.store(PipelineEntry(name: name, recipe: recipe, text: text, fit: nil))
        return PipelineOutput(name: name, recipe: recipe)
    }
}

/// A step as the user wrote it: its name and `name=value` parameters.
public struct StepSpecification: Sendable {
    public var name: String
    public var parameters: [(String, String)]
}

extension PipelineCommand {
    /// The pipeline for written steps; `columns=` on a transform routes columns to it (by name or type).
    public static func build(_ specs: [StepSpecification]) throws -> Pipeline {
        var steps: [Step] = []
        var columns: [ColumnSelection?] = []
        for spec in specs {
            let selection = spec.parameters.last { $0.0 == "columns" }.map { ColumnSelection($0.1) }
            steps.append(try Step(name: spec.name, parameters: spec.parameters.filter { $0.0 != "columns" }))
            columns.append(selection)
        }
        return try Pipeline(steps: steps, columns: columns)
    }

    /// The steps of `STEP [k=v …] | STEP …` tokens, as written (not yet checked against the catalogue).
    public static func specifications(_ tokens: [Token]) throws -> [StepSpecification] {
        var specs: [StepSpecification] = []
        var current: StepSpecification?
        for token in tokens {
            switch token {
            case .word(let w, _):
                if let c = current, !w.isEmpty { throw PetalError("\"\(w)\" follows \(c.name); separate steps with |", hint: "usage: \(syntax)") }
                current = StepSpecification(name: w, parameters: [])
            case .option(let k, let v):
                guard current != nil else { throw PetalError("\(k)=\(v) comes before any step", hint: "usage: \(syntax)") }
                current?.parameters.append((k, v))
            case .pipe:
                guard let c = current else { throw PetalError("a | with no step before it", hint: "usage: \(syntax)") }
                specs.append(c)
                current = nil
            case .equals:
                throw PetalError("unexpected = in the steps", hint: "write parameters as name=value with no spaces")
            }
        }
        guard let c = current else { throw PetalError("the pipeline ends with |; add the estimator", hint: "usage: \(syntax)") }
        specs.append(c)
        return specs
    }
}

/// The result of `pipeline`: the steps with every parameter, defaults included.
public struct PipelineOutput: CommandOutput {
    public var name: String
    public var recipe: Pipeline

    public func renderText(width: Int) -> String {
        var lines = ["\(name): " + recipe.steps.map(\.name).joined(separator: " → ")]
        for (i, step) in recipe.steps.enumerated() {
            var params = step.parameterList.map { ($0.name, $0.value) }
            if let selection = recipe.columns[safe: i] ?? nil { params.append(("columns", PipelineOutput.describe(selection))) }
            lines.append("  " + step.name + (params.isEmpty ? "" : "  " + params.map { "\($0.0)=\($0.1)" }.joined(separator: " ")))
        }
        lines.append("next: fit \(name) on DATASET target=COLUMN")
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .object([("pipeline", .string(name)), ("steps", .array(recipe.steps.enumerated().map { i, step in
            .object([("name", .string(step.name)),
                     ("parameters", .object(step.parameterList.map { ($0.name, .string($0.value)) })),
                     ("columns", (recipe.columns[safe: i] ?? nil).map { .string(PipelineOutput.describe($0)) } ?? .null)])
        }))])
    }

    static func describe(_ selection: ColumnSelection) -> String {
        switch selection {
        case .names(let n): return n.joined(separator: ",")
        case .type(let t): return t
        }
    }
}
