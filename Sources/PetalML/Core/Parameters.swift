import Foundation
import PetalData

/// One hyperparameter of a step: its name (scikit-learn's, case-sensitive), short aliases, type, default,
/// range and help. Declared once per step, as a `Param`, and used for parsing, defaults, `help STEP`,
/// completion, `search`, tracking and the model file.
public struct ParameterDescriptor: Sendable {
    public enum Kind: Sendable {
        case int(ClosedRange<Int>)
        case double(ClosedRange<Double>)
        case choice([String])
        case bool
        /// One or more ints in the range, written `64,32` (or `64x32`, which a `search` list keeps as one value).
        case intList(ClosedRange<Int>)
    }
    public var name: String
    public var aliases: [String]
    public var kind: Kind
    public var defaultValue: String
    public var help: String
    /// `none` is a value (e.g. `max_depth=none`: no limit).
    public var allowsNone: Bool
    /// Words taken besides the kind's values (`gamma=scale|auto|0.1`: a number or one of these words).
    public var words: [String]
    /// Where Petal 0.6.0 wrote this setting in a model file (`k`, `settings.maxDepth`), so old files load.
    public var legacyKey: String?
    /// Where `automl` looks for good values (nil: it leaves the default). Narrower than the valid range: the
    /// values worth trying.
    public var search: SearchRange?

    public init(_ name: String, aliases: [String] = [], _ kind: Kind, default defaultValue: String, help: String,
                allowsNone: Bool = false, words: [String] = [], legacyKey: String? = nil, search: SearchRange? = nil) {
        self.name = name; self.aliases = aliases; self.kind = kind; self.defaultValue = defaultValue; self.help = help
        self.allowsNone = allowsNone || defaultValue == "none"; self.words = words; self.legacyKey = legacyKey
        self.search = search
    }

    /// `int 1…1000`, `one of uniform, distance`, … for help.
    public var typeText: String {
        let base: String
        switch kind {
        case .int(let r): base = "int \(r.lowerBound)…\(r.upperBound == Int.max ? "∞" : String(r.upperBound))"
        case .double(let r): base = "float \(NumberText.shortest(r.lowerBound))…\(r.upperBound.isInfinite ? "∞" : NumberText.shortest(r.upperBound))"
        case .choice(let options): base = "one of " + options.joined(separator: ", ")
        case .bool: base = "true/false"
        case .intList(let r): base = "ints \(r.lowerBound)…\(r.upperBound) separated by commas (64,32) or x (64x32)"
        }
        let alternatives = words + (allowsNone ? ["none"] : [])
        return alternatives.isEmpty ? base : base + " or " + alternatives.joined(separator: ", ")
    }

    /// Whether `key` names this parameter (its name or an alias; case-sensitive, as scikit-learn's `C`).
    public func answers(to key: String) -> Bool { name == key || aliases.contains(key) }

    /// `value` in this parameter's canonical spelling (`1.0` → `1`, `TRUE` → `true`), or nil when it is not
    /// of this parameter's type and range.
    public func canonical(_ value: String) -> String? {
        if allowsNone && value.lowercased() == "none" { return "none" }
        if words.contains(value) { return value }
        switch kind {
        case .int(let r): return Int(value).flatMap { r.contains($0) ? String($0) : nil }
        case .double(let r): return Double(value).flatMap { r.contains($0) ? NumberText.shortest($0) : nil }
        case .choice(let options): return options.contains(value) ? value : nil
        case .bool:
            switch value.lowercased() { case "true": return "true"; case "false": return "false"; default: return nil }
        case .intList(let r):
            let parts = value.split(whereSeparator: { $0 == "," || $0 == "x" }).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, value.last != ",", value.last != "x" else { return nil }
            var out: [Int] = []
            for p in parts { guard let v = p, r.contains(v) else { return nil }; out.append(v) }
            return out.map(String.init).joined(separator: ",")
        }
    }
}

/// The values of a parameter worth searching (`automl`), declared with the parameter.
public enum SearchRange: Sendable, Hashable {
    /// Integers, drawn uniformly (or uniformly in log when `log`).
    case int(ClosedRange<Int>, log: Bool)
    /// Floats, drawn uniformly (or uniformly in log when `log`, for scales such as `C` and `alpha`).
    case double(ClosedRange<Double>, log: Bool)
    /// One of these values (canonical text, `none` included where it is a value).
    case values([String])

    /// A value drawn with `rng`, as the parameter's text.
    public func sample(_ rng: inout NumpyRandomState) -> String {
        switch self {
        case .int(let r, let log):
            if log, r.lowerBound > 0 {
                let v = exp(Foundation.log(Double(r.lowerBound)) + rng.randomSample() * (Foundation.log(Double(r.upperBound) + 1) - Foundation.log(Double(r.lowerBound))))
                return String(min(r.upperBound, max(r.lowerBound, Int(v))))
            }
            return String(r.lowerBound + rng.interval(r.upperBound - r.lowerBound))
        case .double(let r, let log):
            let u = rng.randomSample()
            let v = log && r.lowerBound > 0
                ? exp(Foundation.log(r.lowerBound) + u * (Foundation.log(r.upperBound) - Foundation.log(r.lowerBound)))
                : r.lowerBound + u * (r.upperBound - r.lowerBound)
            return NumberText.shortest(Double(String(format: "%.3g", v)) ?? v)
        case .values(let options):
            return options.isEmpty ? "" : options[rng.interval(options.count - 1)]
        }
    }
}

/// A typed handle on one declared parameter: `Self.nNeighbors` reads as an `Int` from a recipe's values.
public struct Param<Value: ParameterValue>: Sendable {
    public let descriptor: ParameterDescriptor
    public var name: String { descriptor.name }
}

extension Param where Value == Int {
    public init(_ name: String, aliases: [String] = [], _ range: ClosedRange<Int>, default d: Int, help: String, legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .int(range), default: String(d), help: help, legacyKey: legacyKey, search: search)
    }
}

extension Param where Value == Int? {
    /// An int that may be `none` (its default).
    public init(_ name: String, aliases: [String] = [], _ range: ClosedRange<Int>, help: String, legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .int(range), default: "none", help: help, legacyKey: legacyKey, search: search)
    }
}

extension Param where Value == Double? {
    /// A float that may also be `none`.
    public init(_ name: String, aliases: [String] = [], _ range: ClosedRange<Double>, default d: Double?, help: String, legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .double(range), default: d.map(NumberText.shortest) ?? "none", help: help,
                                         allowsNone: true, legacyKey: legacyKey, search: search)
    }
}

extension Param where Value == Double {
    public init(_ name: String, aliases: [String] = [], _ range: ClosedRange<Double>, default d: Double, help: String, legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .double(range), default: NumberText.shortest(d), help: help, legacyKey: legacyKey, search: search)
    }
}

extension Param where Value == String {
    public init(_ name: String, aliases: [String] = [], choices: [String], default d: String, help: String, legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .choice(choices), default: d, help: help, legacyKey: legacyKey, search: search)
    }
}

/// A parameter whose value is one of a closed set of words, as an enum (`MLPActivation`): code switches over
/// the cases (the compiler finds every place a new one must be handled), never over strings.
public protocol ChoiceValue: ParameterValue, RawRepresentable<String>, CaseIterable {}
extension ChoiceValue {
    public static func parse(_ text: String) -> Self? { Self(rawValue: text) }
    /// Every word, in declaration order.
    public static var words: [String] { allCases.map(\.rawValue) }
}

extension Param where Value: ChoiceValue {
    /// One of `Value`'s cases, by their raw words.
    public init(_ name: String, aliases: [String] = [], default d: Value, help: String, legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .choice(Value.words), default: d.rawValue, help: help, legacyKey: legacyKey, search: search)
    }
}

extension Param where Value == [Int] {
    /// A list of ints (`hidden_layer_sizes=64,32`).
    public init(_ name: String, aliases: [String] = [], _ range: ClosedRange<Int>, default d: [Int], help: String, legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .intList(range), default: d.map(String.init).joined(separator: ","), help: help,
                                         legacyKey: legacyKey, search: search)
    }
}

extension Param where Value == Bool {
    public init(_ name: String, aliases: [String] = [], default d: Bool, help: String, legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .bool, default: String(d), help: help, legacyKey: legacyKey, search: search)
    }
}

extension Param where Value == NumberOrWord {
    /// A float in `range`, or one of `words` (`gamma=scale|auto|0.1`); the default is one of them.
    public init(_ name: String, aliases: [String] = [], _ range: ClosedRange<Double>, words: [String], default d: String, help: String,
                legacyKey: String? = nil, search: SearchRange? = nil) {
        descriptor = ParameterDescriptor(name, aliases: aliases, .double(range), default: d, help: help, words: words, legacyKey: legacyKey, search: search)
    }
}

/// The value of a parameter that is a number or a word (`gamma=scale` or `gamma=0.1`).
public enum NumberOrWord: ParameterValue, Hashable {
    case number(Double)
    case word(String)
    public static func parse(_ text: String) -> NumberOrWord? { Double(text).map { .number($0) } ?? .word(text) }
    public static var fallback: NumberOrWord { .word("") }
}

/// A type a parameter's text converts to.
public protocol ParameterValue: Sendable {
    static func parse(_ text: String) -> Self?
    /// The value read when a text does not parse (never for declared defaults; keeps reading total).
    static var fallback: Self { get }
}
extension Int: ParameterValue {
    public static func parse(_ text: String) -> Int? { Int(text) }
    public static var fallback: Int { 0 }
}
extension Double: ParameterValue {
    public static func parse(_ text: String) -> Double? { Double(text) }
    public static var fallback: Double { 0 }
}
extension String: ParameterValue {
    public static func parse(_ text: String) -> String? { text }
    public static var fallback: String { "" }
}
extension Bool: ParameterValue {
    public static func parse(_ text: String) -> Bool? { Bool(text.lowercased()) }
    public static var fallback: Bool { false }
}
extension Array: ParameterValue where Element == Int {
    public static func parse(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").compactMap { Int($0) }
        return parts.isEmpty ? nil : parts
    }
    public static var fallback: [Int] { [] }
}
extension Optional: ParameterValue where Wrapped: ParameterValue {
    public static func parse(_ text: String) -> Wrapped?? { text.lowercased() == "none" ? .some(nil) : Wrapped.parse(text).map { .some($0) } }
    public static var fallback: Wrapped? { nil }
}

/// Parameter values given by a user for one step, checked against the step's descriptors and kept in their
/// canonical spelling under scikit-learn's names. Values not given take the descriptor's default when read.
public struct ParameterValues: Sendable, Hashable {
    public private(set) var values: [String: String]

    /// No parameters: every default.
    public init() { values = [:] }

    /// Checks names (aliases resolve to scikit-learn's names), types and ranges.
    /// - Throws: an unknown name with a did-you-mean, or a value of the wrong type or out of range.
    public init(_ given: [(String, String)], step: String, descriptors: [ParameterDescriptor]) throws {
        var out: [String: String] = [:]
        for (key, value) in given {
            guard let d = descriptors.first(where: { $0.answers(to: key) }) else {
                throw ParameterValues.unknown(key, step: step, descriptors: descriptors)
            }
            guard let canonical = d.canonical(value) else {
                throw PetalError("\(step): \(d.name)=\(value) is not \(d.typeText)", hint: d.help)
            }
            out[d.name] = canonical
        }
        values = out
    }

    /// Values as they are (already checked, e.g. read from a model file).
    init(checked values: [String: String]) { self.values = values }

    /// The error for a parameter no descriptor answers to, with a did-you-mean.
    public static func unknown(_ key: String, step: String, descriptors: [ParameterDescriptor]) -> PetalError {
        let names = descriptors.flatMap { [$0.name] + $0.aliases }
        let close = names.min { Levenshtein.distance($0, key) < Levenshtein.distance($1, key) }
        let hint = close.flatMap { Levenshtein.distance($0, key) <= 2 ? "did you mean \($0)?" : nil }
            ?? (names.isEmpty ? "\(step) takes no parameters" : "\(step) takes: " + descriptors.map(\.name).joined(separator: ", "))
        return PetalError("\(step) has no parameter \"\(key)\"", hint: hint)
    }

    /// The text of `descriptor`'s value: given, or its default.
    public func text(_ descriptor: ParameterDescriptor) -> String { values[descriptor.name] ?? descriptor.defaultValue }

    /// The typed value of `param`: given, or its default.
    public subscript<V>(_ param: Param<V>) -> V {
        if let given = values[param.name], let v = V.parse(given) { return v }
        // Defaults are written by the declaration itself, so they always parse; the fallback keeps this total.
        return V.parse(param.descriptor.defaultValue) ?? V.fallback
    }
}
