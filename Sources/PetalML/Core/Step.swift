import PetalData

/// One step of a pipeline as a recipe: a registered step with its checked hyperparameters. Two steps are
/// equal when they are the same step with the same values.
public struct Step: Sendable, Hashable {
    public let recipe: any StepRecipe

    public init(_ recipe: any StepRecipe) { self.recipe = recipe }

    /// A step from its name and `name=value` parameters (scikit-learn's names or the short aliases).
    /// - Throws: an unknown step (with a did-you-mean), a planned one, or a bad parameter.
    public init(name: String, parameters: [(String, String)]) throws {
        guard let entry = Steps.entry(named: name) else { throw Steps.unknown(name) }
        recipe = entry.make(try ParameterValues(parameters, step: name, descriptors: entry.parameters))
    }

    public var name: String { type(of: recipe).name }
    public var values: ParameterValues { recipe.values }
    public var role: StepRole { type(of: recipe).role }
    public var isEstimator: Bool { if case .estimator = role { return true } else { return false } }
    /// Which tasks the step can do when it ends a pipeline.
    public var tasks: Set<LearningTask> { if case .estimator(let t) = role { return t } else { return [] } }
    public var handlesMissing: Bool { type(of: recipe).handlesMissing }
    public var descriptors: [ParameterDescriptor] { type(of: recipe).parameters }

    /// Every parameter with its value (given or default), in declaration order: for `pipeline`, tracking and search.
    public var parameterList: [(name: String, value: String)] { descriptors.map { ($0.name, values.text($0)) } }

    /// This step with `key` set to `value` (`none` unsets a parameter that has no `none` value).
    /// - Throws: when the step has no such parameter or the value does not fit it.
    public func setting(_ key: String, to value: String) throws -> Step {
        guard let d = descriptors.first(where: { $0.answers(to: key) }) else {
            throw ParameterValues.unknown(key, step: name, descriptors: descriptors)
        }
        var given = values.values.map { ($0.key, $0.value) }.filter { $0.0 != d.name }
        if !(value.lowercased() == "none" && !d.allowsNone) { given.append((d.name, value)) }
        return try Step(name: name, parameters: given)
    }

    public static func == (a: Step, b: Step) -> Bool { a.name == b.name && a.values == b.values }
    public func hash(into h: inout Hasher) { h.combine(name); h.combine(values) }
}

/// A fitted step: a registered fitted model (learned values only, immutable), written in model files as a
/// flat object with its `kind`.
public struct FittedStep: Sendable, Hashable {
    public let model: any FittedModel

    public init(_ model: any FittedModel) { self.model = model }

    /// The `kind` written for it (stable names: they are the file format).
    public var kind: String { type(of: model).kind }

    public var transform: (any FittedTransform)? { model.asTransform }
    public var estimator: (any FittedEstimator)? { model.asEstimator }

    public static func == (a: FittedStep, b: FittedStep) -> Bool { AnyHashable(a.model) == AnyHashable(b.model) }
    public func hash(into h: inout Hasher) { h.combine(AnyHashable(model)) }
}

/// A transform fitted on, and applied to, some matrix columns only (`columns=` on a transform).
public struct SubsetTransform: FittedTransform {
    public static let kind = "subset"
    public var columns: [Int]
    public var step: FittedStep

    public init(columns: [Int], step: FittedStep) { self.columns = columns; self.step = step }

    public func transform(_ x: Matrix) -> Matrix {
        guard let inner = step.transform else { return x }
        return x.replacingColumns(columns, with: inner.transform(x.columns(columns)))
    }

    public func validate(width: Int, classes: Int) throws {
        guard !columns.isEmpty, columns.allSatisfy({ (0..<width).contains($0) }), Set(columns).count == columns.count else {
            throw PetalError("its columns \(columns) are not distinct features below \(width)")
        }
        guard let inner = step.transform, inner.outputWidth(columns.count) == columns.count else {
            throw PetalError("\(step.kind) is not a transform that keeps its columns, so it cannot take columns=")
        }
        try step.model.validate(width: columns.count, classes: classes)
    }

    private enum Keys: String, CodingKey { case columns, step }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        columns = try c.decode([Int].self, forKey: .columns)
        step = try FittedStep.decode(from: c.superDecoder(forKey: .step), recipe: nil)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(columns, forKey: .columns)
        try step.encode(to: c.superEncoder(forKey: .step))
    }
}
