import PetalData

/// One hyperparameter of a step: its name (scikit-learn's), short aliases, type, default, range and help.
public struct ParameterDescriptor: Sendable {
    public enum Kind: Sendable {
        case int(ClosedRange<Int>)
        case double(ClosedRange<Double>)
        case choice([String])
        case bool
    }
    public var name: String
    public var aliases: [String]
    public var kind: Kind
    public var defaultValue: String
    public var help: String

    public init(_ name: String, aliases: [String] = [], _ kind: Kind, default defaultValue: String, help: String) {
        self.name = name; self.aliases = aliases; self.kind = kind; self.defaultValue = defaultValue; self.help = help
    }

    /// `int 1…1000`, `one of uniform, distance`, … for help.
    public var typeText: String {
        switch kind {
        case .int(let r): return "int \(r.lowerBound)…\(r.upperBound == Int.max ? "∞" : String(r.upperBound))"
        case .double(let r): return "float \(NumberText.shortest(r.lowerBound))…\(r.upperBound.isInfinite ? "∞" : NumberText.shortest(r.upperBound))"
        case .choice(let options): return "one of " + options.joined(separator: ", ")
        case .bool: return "true/false"
        }
    }
}

/// Parameter values given by a user for one step, checked against the step's descriptors.
public struct ParameterValues: Sendable, Codable, Hashable {
    public private(set) var values: [String: String]

    /// No parameters: every default.
    public init() { values = [:] }

    /// Checks names (aliases resolve to scikit-learn's names), types and ranges.
    /// - Throws: an unknown name with a did-you-mean, or a value of the wrong type or out of range.
    public init(_ given: [(String, String)], step: String, descriptors: [ParameterDescriptor]) throws {
        var out: [String: String] = [:]
        for (key, value) in given {
            guard let d = descriptors.first(where: { $0.name == key || $0.aliases.contains(key) }) else {
                let names = descriptors.flatMap { [$0.name] + $0.aliases }
                let close = names.min { Levenshtein.distance($0, key) < Levenshtein.distance($1, key) }
                let hint = close.flatMap { Levenshtein.distance($0, key) <= 2 ? "did you mean \($0)?" : nil }
                    ?? (names.isEmpty ? "\(step) takes no parameters" : "\(step) takes: " + descriptors.map(\.name).joined(separator: ", "))
                throw DataError("\(step) has no parameter \"\(key)\"", hint: hint)
            }
            try ParameterValues.check(value, d, step: step)
            out[d.name] = value
        }
        values = out
    }

    static func check(_ value: String, _ d: ParameterDescriptor, step: String) throws {
        let bad = DataError("\(step): \(d.name)=\(value) is not \(d.typeText)", hint: d.help)
        switch d.kind {
        case .int(let r): guard let v = Int(value), r.contains(v) else { throw bad }
        case .double(let r): guard let v = Double(value), r.contains(v) else { throw bad }
        case .choice(let options): guard options.contains(value) else { throw bad }
        case .bool: guard ["true", "false"].contains(value.lowercased()) else { throw bad }
        }
    }

    public func int(_ name: String, default d: Int) -> Int { values[name].flatMap { Int($0) } ?? d }
    public func double(_ name: String, default d: Double) -> Double { values[name].flatMap { Double($0) } ?? d }
    public func string(_ name: String, default d: String) -> String { values[name] ?? d }
}
