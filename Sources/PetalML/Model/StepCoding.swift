import PetalData

/// Model-file shapes of recipe steps and fitted steps (see `ModelFormat`).
extension Step: Codable {
    /// `{"step": name, "settings": {…}}`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: ModelKey.self)
        self = try Step.decode(name: c.decode(String.self, forKey: ModelKey("step")), settings: c.superDecoder(forKey: ModelKey("settings")))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ModelKey.self)
        try c.encode(name, forKey: ModelKey("step"))
        try recipe.encode(to: c.superEncoder(forKey: ModelKey("settings")))
    }

    /// The step named `name` with its settings from `decoder`, looked up in the registry.
    static func decode(name: String, settings: Decoder) throws -> Step {
        guard let entry = Steps.entry(named: name) else { throw corrupt(settings, "unknown step \"\(name)\" (made by a newer Petal?)") }
        return Step(try entry.decodeSettings(settings))
    }
}

extension FittedStep: Codable {
    /// A fitted step whose `kind` is looked up in the registry. Kinds an older Petal shared between steps
    /// (`trees`, `linear`, `schema_encoding`) are resolved through `recipe`, the step it was fitted from.
    public init(from decoder: Decoder) throws { self = try FittedStep.decode(from: decoder, recipe: nil) }

    static func decode(from decoder: Decoder, recipe: Step?) throws -> FittedStep {
        let kind = try decoder.container(keyedBy: ModelKey.self).decode(String.self, forKey: ModelKey("kind"))
        if let found = Steps.fittedKinds[kind] { return FittedStep(try found.decode(decoder)) }
        if let recipe, let legacy = type(of: recipe.recipe).legacyFittedKinds.first(where: { $0.kind == kind }) {
            return FittedStep(try legacy.decode(decoder))
        }
        throw corrupt(decoder, "unknown fitted step kind \"\(kind)\" (made by a newer Petal?)")
    }

    /// `{"kind": …, learned values by name}`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ModelKey.self)
        try c.encode(kind, forKey: ModelKey("kind"))
        try model.encode(to: encoder)
    }
}
