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
        for s in Step.catalogue { lines.append("  " + pad(s.name, 16) + "  " + s.summary) }
        lines += ["", "Example:", "  pipeline p = standard_scaler | knn k=3"]
        return lines.joined(separator: "\n")
    }

    public static func complete(_ context: CompletionContext) -> [String] {
        guard context.previous.count >= 2 else { return [] }
        let last = context.previous.last ?? ""
        if last == "=" || last == "|" { return Step.catalogue.map(\.name) }
        // Parameters of the step being written.
        let stepName = context.previous.reversed().first { w in Step.catalogue.contains { $0.name == w } }
        let entry = Step.catalogue.first { $0.name == stepName }
        let params = entry?.parameters ?? []
        return params.flatMap { [$0.name + "="] + $0.aliases.map { $0 + "=" } } + (entry?.isEstimator == false ? ["columns="] : []) + ["|"]
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        guard case .word(let name, _)? = args.tokens.first, args.tokens.count >= 2, args.tokens[1] == .equals else {
            throw DataError("pipeline needs a name, = and steps", hint: "usage: \(syntax)")
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
                if let c = current, !w.isEmpty { throw DataError("\"\(w)\" follows \(c.name); separate steps with |", hint: "usage: \(syntax)") }
                current = StepSpecification(name: w, parameters: [])
            case .option(let k, let v):
                guard current != nil else { throw DataError("\(k)=\(v) comes before any step", hint: "usage: \(syntax)") }
                current?.parameters.append((k, v))
            case .pipe:
                guard let c = current else { throw DataError("a | with no step before it", hint: "usage: \(syntax)") }
                specs.append(c)
                current = nil
            case .equals:
                throw DataError("unexpected = in the steps", hint: "write parameters as name=value with no spaces")
            }
        }
        guard let c = current else { throw DataError("the pipeline ends with |; add the estimator", hint: "usage: \(syntax)") }
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
            var params = PipelineOutput.parameters(of: step)
            if let selection = recipe.columns[safe: i] ?? nil { params.append(("columns", PipelineOutput.describe(selection))) }
            lines.append("  " + step.name + (params.isEmpty ? "" : "  " + params.map { "\($0.0)=\($0.1)" }.joined(separator: " ")))
        }
        lines.append("next: fit \(name) on DATASET target=COLUMN")
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        .object([("pipeline", .string(name)), ("steps", .array(recipe.steps.enumerated().map { i, step in
            .object([("name", .string(step.name)),
                     ("parameters", .object(PipelineOutput.parameters(of: step).map { ($0.0, .string($0.1)) })),
                     ("columns", (recipe.columns[safe: i] ?? nil).map { .string(PipelineOutput.describe($0)) } ?? .null)])
        }))])
    }

    static func describe(_ selection: ColumnSelection) -> String {
        switch selection {
        case .names(let n): return n.joined(separator: ",")
        case .type(let t): return t
        }
    }

    /// Every parameter of a step with its value (given or default).
    static func parameters(of step: Step) -> [(String, String)] {
        switch step {
        case .standardScaler(let s): return [("with_mean", String(s.withMean)), ("with_std", String(s.withStd))]
        case .minMaxScaler: return []
        case .knn(let k): return [("n_neighbors", String(k.k)), ("weights", k.weights), ("metric", k.metric)]
        case .gaussianNB(let g): return [("var_smoothing", NumberText.shortest(g.varSmoothing))]
        case .logisticRegression(let l):
            return [("C", NumberText.shortest(l.c)), ("max_iter", String(l.maxIter)), ("tol", NumberText.shortest(l.tol))]
        case .linearRegression, .oneHot, .robustScaler, .ordinal, .featureCross, .dropColumns: return []
        case .powerTransform(let t): return [("method", t.method)]
        case .bins(let b): return [("n_bins", String(b.bins)), ("strategy", b.strategy)]
        case .decisionTree(let t):
            return [("criterion", t.settings.criterion), ("max_depth", t.settings.maxDepth.map(String.init) ?? "none"),
                    ("min_samples_split", String(t.settings.minSamplesSplit)), ("min_samples_leaf", String(t.settings.minSamplesLeaf)),
                    ("random_state", String(t.seed))]
        case .kmeans(let k):
            return [("n_clusters", String(k.k)), ("n_init", String(k.nInit)), ("max_iter", String(k.maxIter)),
                    ("tol", NumberText.shortest(k.tol)), ("random_state", String(k.seed))]
        case .gradientBoosting(let g):
            return [("n_estimators", String(g.rounds)), ("learning_rate", NumberText.shortest(g.learningRate)), ("max_depth", String(g.depth)),
                    ("subsample", NumberText.shortest(g.subsample)), ("min_samples_leaf", String(g.minSamplesLeaf)), ("random_state", String(g.seed))]
        case .randomForest(let f):
            return [("n_estimators", String(f.trees)), ("max_depth", f.settings.maxDepth.map(String.init) ?? "none"),
                    ("min_samples_leaf", String(f.settings.minSamplesLeaf)), ("max_features", f.maxFeatures ?? "auto"),
                    ("bootstrap", String(f.bootstrap)), ("random_state", String(f.seed))]
        case .imputer(let i): return [("strategy", i.strategy)] + (i.strategy == "constant" ? [("fill_value", NumberText.shortest(i.fillValue))] : [])
        case .ridge(let r): return [("alpha", NumberText.shortest(r.alpha))]
        }
    }
}
