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
        /// A number in a half-open range (`test=` takes 0 up to but not including 1).
        case number(Range<Double>)
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

    /// The option lines of `help VERB`: usage and help, with aliases and the accepted values.
    static func helpLines(_ options: [CommandOption]) -> [String] {
        let width = min(24, options.map { TextWidth.of($0.usage) }.max() ?? 0)
        return options.map { o in
            var text = o.help
            switch o.kind {
            case .choice(let words): text += " (" + words.joined(separator: ", ") + ")"
            case .integer(let r): text += " (\(r.lowerBound)…\(r.upperBound))"
            case .text, .number, .flag: break
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

extension Arguments {
    /// The value given for `option` under any of its names (the last one given), or nil.
    public func text(_ option: CommandOption) -> String? {
        let names = option.names
        return options.last { names.contains($0.key.lowercased()) }?.value
    }

    /// The name the user wrote for `option` (for error messages that quote them), or its own name.
    func written(_ option: CommandOption) -> String {
        let names = option.names
        return options.last { names.contains($0.key.lowercased()) }?.key ?? option.name
    }

    /// The value of an option that was not given: `given`, else the declared default, else an error asking for it.
    private func absent<T>(_ option: CommandOption, _ given: T?, _ parse: (String) -> T?) throws -> T {
        if let given { return given }
        if let text = option.defaultText, let v = parse(text) { return v }
        throw PetalError("\(verb) needs \(option.name)=", hint: "for example \(option.usage)")
    }

    /// A whole-number option in its declared range; when absent, `defaultValue` or the declared default.
    public func int(_ option: CommandOption, default defaultValue: Int? = nil) throws -> Int {
        guard let text = text(option) else { return try absent(option, defaultValue) { Int($0) } }
        let range: ClosedRange<Int>
        if case .integer(let r) = option.kind { range = r } else { range = Int.min...Int.max }
        guard let v = Int(text), range.contains(v) else {
            throw PetalError("\(written(option))=\(text) is not a whole number from \(range.lowerBound) to \(range.upperBound)",
                             hint: "for example \(option.name)=\(option.defaultText ?? String(range.lowerBound))")
        }
        return v
    }

    /// A number option in its declared range; when absent, `defaultValue` or the declared default.
    public func number(_ option: CommandOption, default defaultValue: Double? = nil) throws -> Double {
        guard let text = text(option) else { return try absent(option, defaultValue) { Double($0) } }
        let range: Range<Double>
        if case .number(let r) = option.kind { range = r } else { range = -Double.infinity..<Double.infinity }
        guard let v = Double(text), v.isFinite, range.contains(v) else {
            throw PetalError("\(written(option))=\(text) must be a number at least \(NumberText.shortest(range.lowerBound)) and less than \(NumberText.shortest(range.upperBound))",
                             hint: "for example \(option.usage)")
        }
        return v
    }

    /// A yes/no option (true/false, yes/no, on/off, 1/0); when absent, `defaultValue` or the declared default.
    public func bool(_ option: CommandOption, default defaultValue: Bool? = nil) throws -> Bool {
        guard let text = text(option)?.lowercased() else { return try absent(option, defaultValue) { Arguments.truth($0) } }
        guard let v = Arguments.truth(text) else { throw PetalError("\(written(option))=\(text) should be true or false") }
        return v
    }

    /// true/yes/on/1 or false/no/off/0, or nil for anything else.
    static func truth(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: return nil
        }
    }
}
