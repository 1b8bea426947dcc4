import PetalData
import PetalML

/// `help [COMMAND]`: the command list, or one command's syntax and help.
public enum HelpCommand: PetalCommand {
    public static let name = "help"
    public static let aliases = ["?"]
    public static let syntax = "help [COMMAND]"
    public static let summary = "list the commands, or explain one"

    public static func complete(_ context: CompletionContext) -> [String] { Commands.verbs }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        if let topic = args.positional.first?.lowercased() {
            if let step = Steps.entry(named: topic) {
                let role: String
                switch step.role {
                case .estimator(let tasks):
                    role = "an estimator (ends a pipeline): " + [LearningTask.classification, .regression, .clustering].filter(tasks.contains).map(\.rawValue).joined(separator: ", ")
                case .transform: role = "a transform (columns= limits it to some features)"
                case .encoding: role = "an encoding of the input columns"
                }
                var lines = ["\(step.name) — \(step.summary)", role]
                if step.parameters.isEmpty { lines.append("no parameters") }
                for p in step.parameters {
                    let names = ([p.name] + p.aliases).joined(separator: ", ")
                    lines.append("  \(pad(names, 16))  \(pad(p.typeText, 28))  default \(p.defaultValue)")
                    lines.append("  \(pad("", 16))  \(p.help)")
                }
                return HelpOutput(text: lines.joined(separator: "\n"), topic: step.name)
            }
            if Commands.find(topic) == nil, let verb = WorkbenchVerb(word: topic) {
                let aliases = verb.aliases.isEmpty ? "" : "\naliases: " + verb.aliases.joined(separator: ", ")
                return HelpOutput(text: "\(verb.rawValue) — \(verb.help)\nusage: \(verb.usage) (in the full-screen workbench)" + aliases, topic: verb.rawValue)
            }
            guard let c = Commands.find(topic) else {
                throw PetalError("no command or step \"\(topic)\"", hint: Commands.suggestion(for: topic))
            }
            return HelpOutput(text: HelpOutput.detail(c), topic: c.name)
        }
        return HelpOutput(text: HelpOutput.overview(), topic: nil)
    }
}

/// The result of `help`.
public struct HelpOutput: CommandOutput {
    public var text: String
    public var topic: String?
    public func renderText(width: Int) -> String { text }
    public func json() -> JSONValue {
        .object([("topic", topic.map { .string($0) } ?? .null), ("text", .string(text))])
    }

    static func detail(_ c: CommandEntry) -> String {
        var lines = ["\(c.name) — \(c.summary)", "usage: \(c.syntax)"]
        if !c.aliases.isEmpty { lines.append("aliases: \(c.aliases.joined(separator: ", "))") }
        if c.help != c.summary { lines.append(c.help.trimmingCharacters(in: .newlines)) }
        if !c.options.isEmpty { lines += ["options:"] + CommandOption.helpLines(c.options) }
        return lines.joined(separator: "\n")
    }

    public static func overview() -> String {
        let width = Commands.all.map { $0.name.count }.max() ?? 8
        var lines = ["Petal commands (verb first, name=value options; `help VERB` for more):", ""]
        for c in Commands.all { lines.append("  " + pad(c.name, width) + "  " + c.summary) }
        lines += ["", "Columns are named DATASET.COLUMN (iris.petal_length). Separate commands with ; or new lines.",
                  "Try (iris is built in): describe iris; counts iris.variety; hist iris.petal_length bins=12",
                  "",
                  "In the full-screen workbench (`petal`): type commands at ▶; Esc gives keys to the view (arrows or hjkl,",
                  "PgUp/PgDn, g/G, Enter on a column: histogram, F counts, I describe, [ ] sort, / search, # go to row),",
                  ": or Tab returns to the command line, s the sidebar, ? or F1 every key, q back/quit, Ctrl-C cancels.",
                  "Workbench-only verbs: " + WorkbenchVerb.allCases.map(\.usage).joined(separator: ", ") + "."]
        return lines.joined(separator: "\n")
    }
}

import Foundation
