import PetalData

/// Reading a command's declared options (`CommandOption`) from its arguments: the value under any of the option's
/// names, checked against its kind, or its declared default. Errors quote the name the user wrote.
extension Arguments {
    /// The value given for `option` under any of its names (the last one given), or nil.
    public func text(_ option: CommandOption) -> String? {
        let names = option.names
        return options.last { names.contains($0.key.lowercased()) }?.value
    }

    /// The value given for `option`, else its declared default (nil when it has none).
    public func value(_ option: CommandOption) -> String? { text(option) ?? option.defaultText }

    /// A comma-separated option as a list (`families=knn,svm`), blanks dropped; nil when absent.
    public func list(_ option: CommandOption) -> [String]? {
        text(option).map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
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

    /// An optional whole-number option: nil when absent (and it declares no default), else checked as `int`.
    public func optionalInt(_ option: CommandOption) throws -> Int? {
        text(option) == nil && option.defaultText == nil ? nil : try int(option)
    }

    /// A number option in its declared range; when absent, `defaultValue` or the declared default.
    public func number(_ option: CommandOption, default defaultValue: Double? = nil) throws -> Double {
        guard let text = text(option) else { return try absent(option, defaultValue) { Double($0) } }
        let range: NumberRange
        if case .number(let r) = option.kind { range = r } else { range = .from(-.infinity, below: .infinity) }
        guard let v = Double(text), v.isFinite, range.contains(v) else {
            throw PetalError("\(written(option))=\(text) must be a number \(range.text)",
                             hint: "for example \(option.usage)")
        }
        return v
    }

    /// An optional number option: nil when absent (and it declares no default), else checked as `number`.
    public func optionalNumber(_ option: CommandOption) throws -> Double? {
        text(option) == nil && option.defaultText == nil ? nil : try number(option)
    }

    /// A yes/no option (true/false, yes/no, on/off, 1/0); when absent, `defaultValue` or the declared default.
    public func bool(_ option: CommandOption, default defaultValue: Bool? = nil) throws -> Bool {
        guard let text = text(option)?.lowercased() else { return try absent(option, defaultValue) { Arguments.truth($0) } }
        guard let v = Arguments.truth(text) else { throw PetalError("\(written(option))=\(text) should be true or false") }
        return v
    }

    /// One of a choice option's words (lowercased; case is ignored), the declared default when absent, or nil
    /// when it has none.
    public func choice(_ option: CommandOption) throws -> String? {
        guard case .choice(let words) = option.kind else { return text(option) }
        guard let given = text(option) else { return option.defaultText }
        let word = given.lowercased()
        guard words.contains(word) else {
            let example = "for example \(option.name)=\(option.defaultText ?? words[0])"
            guard words.count > 1 else { throw PetalError("\(written(option))=\(given): the only value is \(words[0])", hint: example) }
            throw PetalError("\(written(option))=\(given) is not " + words.dropLast().joined(separator: ", ") + " or " + (words.last ?? ""), hint: example)
        }
        return word
    }

    /// Throws when an option is not one of `declared` (by any of its names; names ignore case, while the keys keep
    /// the case they were written in, for scikit-learn's case-sensitive parameter names), listing those it takes.
    public func checkOptions(_ declared: [CommandOption], syntax: String) throws {
        let allowed = CommandOption.names(declared)
        for (k, _) in options where !allowed.contains(k.lowercased()) {
            let hint = allowed.isEmpty ? "\(verb) takes no options; usage: \(syntax)"
                : "\(verb) takes: " + allowed.map { $0 + "=" }.joined(separator: ", ")
            throw PetalError("\(verb) has no option \"\(k)\"", hint: hint)
        }
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
