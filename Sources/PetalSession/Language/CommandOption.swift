import PetalData

/// One `name=value` option of a command, declared once — its name, the other names it answers to, what value
/// it takes, its default and its help — in the manner of a step's `Param` (PetalML's `Core/Parameters.swift`).
///
/// Parsing (`Arguments.text(_:)`, `int(_:)`, `fraction(_:)`, `bool(_:)`), the check that refuses unknown options,
/// `help VERB`'s option lines and completion (`name=`, and a choice's values) all read the same declaration, so
/// they cannot disagree: an alias is data here, not code such as `option("test") ?? option("test_size")`.
public struct CommandOption: Sendable {
    /// What the option's value is.
    public enum Kind: Sendable, Hashable {
        /// Any text (a column, a path, a name).
        case text
        /// A whole number in a range.
        case integer(ClosedRange<Int>)
        /// A number in a range whose ends may be open or closed (`test=` takes 0 up to but not including 1).
        case number(NumberRange)
        /// true or false (also yes/no, on/off, 1/0).
        case flag
        /// One of a few words.
        case choice([String])
    }

    public let name: String
    /// Other names the option answers to (scikit-learn's, e.g. `test_size` for `test`).
    public let aliases: [String]
    public let kind: Kind
    /// The default as `help` shows it (`0.2`), or nil when the option is required or has no fixed default.
    public let defaultText: String?
    /// What the value stands for in `help` when there is no default (`COL`, `DATE`).
    public let placeholder: String
    public let help: String

    public init(_ name: String, aliases: [String] = [], _ kind: Kind = .text, default defaultText: String? = nil,
                placeholder: String = "X", help: String) {
        self.name = name; self.aliases = aliases; self.kind = kind; self.defaultText = defaultText
        self.placeholder = placeholder; self.help = help
    }

    /// Every name it answers to, its own first.
    public var names: [String] { [name] + aliases }

    /// `name=default` (or `name=PLACEHOLDER`), as `help` and examples write it.
    public var usage: String { "\(name)=\(defaultText ?? placeholder)" }

    /// Every name it answers to, lowercased, across `options`: what the unknown-option check accepts.
    static func names(_ options: [CommandOption]) -> [String] { options.flatMap(\.names) }

    /// The option lines of `help VERB`: usage and help, with aliases and the accepted values.
    static func helpLines(_ options: [CommandOption]) -> [String] {
        let width = min(24, options.map { TextWidth.of($0.usage) }.max() ?? 0)
        return options.map { o in
            var text = o.help
            switch o.kind {
            case .choice(let words): text += " (" + words.joined(separator: ", ") + ")"
            case .integer(let r): text += " (\(r.lowerBound)…\(r.upperBound == Int.max ? "" : String(r.upperBound)))"
            case .number(let r): text += " (\(r.text))"
            case .text, .flag: break
            }
            if !o.aliases.isEmpty { text += "; also " + o.aliases.map { $0 + "=" }.joined(separator: ", ") }
            let head = "  " + o.usage
            let gap = max(2, width + 4 - TextWidth.of(head))
            return head + String(repeating: " ", count: gap) + text
        }
    }

    /// Completions for `partial` among `options`: `name=` for each, and `name=word` for a choice being typed.
    static func completions(_ options: [CommandOption], partial: String) -> [String] {
        if let eq = partial.firstIndex(of: "=") {
            let key = partial[..<eq].lowercased()
            guard let o = options.first(where: { $0.names.contains(key) }) else { return [] }
            switch o.kind {
            case .choice(let words): return words.map { "\(key)=\($0)" }
            case .flag: return ["true", "false"].map { "\(key)=\($0)" }
            case .text, .integer, .number: return []
            }
        }
        return options.map { $0.name + "=" }
    }
}

/// The numbers a `.number` option takes: a range whose ends are each open or closed (`time=` above 0 and at most
/// 86400; `test=` at least 0 and less than 1).
public struct NumberRange: Sendable, Hashable {
    public let lower: Double
    public let includesLower: Bool
    public let upper: Double
    public let includesUpper: Bool

    /// `lower` up to but not including `upper`.
    public static func from(_ lower: Double, below upper: Double) -> NumberRange {
        NumberRange(lower: lower, includesLower: true, upper: upper, includesUpper: false)
    }
    /// Above `lower` (not `lower` itself) and below `upper` (not `upper` itself).
    public static func above(_ lower: Double, below upper: Double = .infinity) -> NumberRange {
        NumberRange(lower: lower, includesLower: false, upper: upper, includesUpper: false)
    }
    /// Above `lower` (not `lower` itself) up to and including `upper`.
    public static func above(_ lower: Double, atMost upper: Double) -> NumberRange {
        NumberRange(lower: lower, includesLower: false, upper: upper, includesUpper: true)
    }

    public func contains(_ v: Double) -> Bool {
        (includesLower ? v >= lower : v > lower) && (includesUpper ? v <= upper : v < upper)
    }

    /// In words, as errors and `help` say it: `at least 0 and less than 1`, `above 0`.
    public var text: String {
        var parts: [String] = []
        if lower.isFinite { parts.append((includesLower ? "at least " : "above ") + NumberText.shortest(lower)) }
        if upper.isFinite { parts.append((includesUpper ? "at most " : "less than ") + NumberText.shortest(upper)) }
        return parts.isEmpty ? "any number" : parts.joined(separator: " and ")
    }
}
