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

    /// Positional `index`, or an error naming what is missing and the command's syntax.
    public func required(_ index: Int, _ what: String, syntax: String) throws -> String {
        guard let v = positional[safe: index] else {
            throw PetalError("\(verb) needs \(what)", hint: "usage: \(syntax)")
        }
        return v
    }

    /// Throws when more positional words were given than the command takes.
    public func checkPositional(max: Int, syntax: String) throws {
        if positional.count > max {
            throw PetalError("\(verb): unexpected \"\(positional[max])\"", hint: "usage: \(syntax)")
        }
    }
}
