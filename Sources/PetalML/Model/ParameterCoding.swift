import PetalData

/// A step's settings in a model file: the parameters the recipe was given, `{"n_neighbors": 3, "max_depth": null}`,
/// under scikit-learn's names and typed by each parameter's declaration (the rest take their defaults, as when the
/// recipe was written). Reading also accepts where Petal 0.6.0 wrote a setting (`{"k": 5}`,
/// `{"settings": {"maxDepth": 3}}`), named by the declaration's `legacyKey`.
enum ParameterCoding {
    static func encode(_ values: ParameterValues, descriptors: [ParameterDescriptor], to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: ModelKey.self)
        for d in descriptors {
            guard let text = values.values[d.name] else { continue }
            let key = ModelKey(d.name)
            if text == "none" { try c.encodeNil(forKey: key); continue }
            switch d.kind {
            case .int: if let v = Int(text) { try c.encode(v, forKey: key) } else { try c.encode(text, forKey: key) }
            case .double: if let v = Double(text) { try c.encode(v, forKey: key) } else { try c.encode(text, forKey: key) }
            case .bool: try c.encode(text == "true", forKey: key)
            case .choice, .intList: try c.encode(text, forKey: key)
            }
        }
    }

    static func decode(_ decoder: Decoder, descriptors: [ParameterDescriptor], step: String) throws -> ParameterValues {
        let c = try decoder.container(keyedBy: ModelKey.self)
        let known = Set(descriptors.flatMap { [$0.name] + ($0.legacyKey.map { [String($0.split(separator: ".")[0])] } ?? []) })
        if let odd = c.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw corrupt(decoder, "\(step) has no setting \"\(odd.stringValue)\"")
        }
        var values: [String: String] = [:]
        for d in descriptors {
            let raw: String??
            if c.contains(ModelKey(d.name)) {
                raw = try text(c, ModelKey(d.name))
            } else if let legacy = d.legacyKey {
                raw = try legacyText(c, path: legacy.split(separator: ".").map(String.init))
            } else {
                raw = nil
            }
            // Absent, or null where null is not a value (0.6.0 wrote an unset choice as null): the default.
            guard let found = raw, let text = found ?? (d.allowsNone ? "none" : nil) else { continue }
            guard let canonical = d.canonical(text) else {
                throw corrupt(decoder, "\(step) setting \(d.name)=\(text) is not \(d.typeText)")
            }
            values[d.name] = canonical
        }
        return ParameterValues(checked: values)
    }

    /// The value at `key` as text; `.some(nil)` for JSON null.
    private static func text(_ c: KeyedDecodingContainer<ModelKey>, _ key: ModelKey) throws -> String?? {
        if try c.decodeNil(forKey: key) { return .some(nil) }
        if let b = try? c.decode(Bool.self, forKey: key) { return .some(String(b)) }
        if let i = try? c.decode(Int.self, forKey: key) { return .some(String(i)) }
        if let v = try? c.decode(Double.self, forKey: key) { return .some(NumberText.shortest(v)) }
        return .some(try c.decode(String.self, forKey: key))
    }

    private static func legacyText(_ c: KeyedDecodingContainer<ModelKey>, path: [String]) throws -> String?? {
        guard let first = path.first, c.contains(ModelKey(first)) else { return nil }
        if path.count == 1 { return try text(c, ModelKey(first)) }
        if try c.decodeNil(forKey: ModelKey(first)) { return nil }
        return try legacyText(try c.nestedContainer(keyedBy: ModelKey.self, forKey: ModelKey(first)), path: Array(path.dropFirst()))
    }
}
