import PetalData

/// A parsed command: positional words, `name=value` options and an optional `as NAME`.
public struct Arguments: Sendable {
    public var verb: String
    public var positional: [String]
    public var options: [(key: String, value: String)]
    public var alias: String?
    /// The tokens after the verb, for commands with their own grammar (`pipeline`).
    public var tokens: [Token]
    /// The command's text after the verb, for commands that parse expressions (`filter`).
    public var rawText = ""

    /// Parses tokens whose first is the verb.
    public init(tokens all: [Token]) throws {
        guard case .word(let verb, _)? = all.first else {
            throw PetalError("a command starts with a verb, e.g. open, describe, help")
        }
        self.verb = verb.lowercased()
        tokens = Array(all.dropFirst())
        positional = []
        options = []
        var i = 0
        while i < tokens.count {
            switch tokens[i] {
            case .word(let w, let quoted):
                if !quoted && w.lowercased() == "as" && i + 1 < tokens.count, case .word(let name, _) = tokens[i + 1] {
                    alias = name
                    i += 2
                    continue
                }
                positional.append(w)
            case .option(let k, let v): options.append((k, v))
            case .equals, .pipe: break
            }
            i += 1
        }
    }

    /// The value of option `key` (the last one given; a command's own option names ignore case, while the keys
    /// themselves keep the case they were written in, for scikit-learn's case-sensitive parameter names).
    public func option(_ key: String) -> String? { options.last { $0.key.lowercased() == key }?.value }

    /// Positional `index`, or an error naming what is missing and the command's syntax.
    public func required(_ index: Int, _ what: String, syntax: String) throws -> String {
        guard let v = positional[safe: index] else {
            throw PetalError("\(verb) needs \(what)", hint: "usage: \(syntax)")
        }
        return v
    }

    /// An integer option in `range`, or `defaultValue` when absent.
    public func int(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = option(key) else { return defaultValue }
        guard let v = Int(text), range.contains(v) else {
            throw PetalError("\(key)=\(text) is not a whole number from \(range.lowerBound) to \(range.upperBound)",
                            hint: "for example \(key)=\(defaultValue)")
        }
        return v
    }

    /// A yes/no option.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let text = option(key)?.lowercased() else { return defaultValue }
        guard let v = Arguments.truth(text) else { throw PetalError("\(key)=\(text) should be true or false") }
        return v
    }

    /// Throws when an option is not one the command takes, suggesting the closest.
    public func checkOptions(allowed: [String], syntax: String) throws {
        for (k, _) in options where !allowed.contains(k.lowercased()) {
            let hint = allowed.isEmpty ? "\(verb) takes no options; usage: \(syntax)"
                : "\(verb) takes: " + allowed.map { $0 + "=" }.joined(separator: ", ")
            throw PetalError("\(verb) has no option \"\(k)\"", hint: hint)
        }
    }

    /// Throws when more positional words were given than the command takes.
    public func checkPositional(max: Int, syntax: String) throws {
        if positional.count > max {
            throw PetalError("\(verb): unexpected \"\(positional[max])\"", hint: "usage: \(syntax)")
        }
    }
}
