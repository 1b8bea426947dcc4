import PetalData

/// What a command returns: a typed result that renders to text at a width and to JSON.
public protocol CommandOutput: Sendable {
    /// Plain text for a terminal or notebook, at most `width` columns where the content allows, drawing with Unicode.
    func renderText(width: Int) -> String
    /// Plain text laid out for `context`: its width, and ASCII only when `context.unicode` is false. Outputs that
    /// draw (bars, sparklines, plots) implement it; for the rest it is `renderText(width:)`.
    func renderText(in context: RenderContext) -> String
    /// The `result` object of `--json` output.
    func json() -> JSONValue
    /// Warnings to show beside the result.
    var warnings: [DataWarning] { get }
}

extension CommandOutput {
    public var warnings: [DataWarning] { [] }
    public func renderText(in context: RenderContext) -> String { renderText(width: context.width) }
}

/// Where a completion is requested: which argument of which command.
public struct CompletionContext: Sendable {
    public var session: Session
    /// The words before the one being completed (the verb first).
    public var previous: [String]
    /// The partial word.
    public var partial: String
}

/// One command of the language: its name, syntax, help, completion and behaviour, together.
public protocol PetalCommand {
    /// The verb, e.g. `describe`.
    static var name: String { get }
    /// Other verbs that run this command.
    static var aliases: [String] { get }
    /// The syntax line shown by `help` and in errors.
    static var syntax: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// Longer help: what it does and examples (`help VERB` adds the option lines from `options`).
    static var help: String { get }
    /// The `name=value` options it accepts, each declared once (name, aliases, kind, default, help): parsing
    /// (`Arguments.text/int/number/bool/choice`), the session's unknown-option check, `help VERB` and completion
    /// all read this list, so an option cannot be accepted without being documented or completed.
    static var options: [CommandOption] { get }
    /// True for commands that parse their own text (`filter`): options are not checked for them.
    static var parsesOwnText: Bool { get }
    /// Completions for the word being typed.
    static func complete(_ context: CompletionContext) -> [String]
    /// Runs the command.
    static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput
}

extension PetalCommand {
    public static var aliases: [String] { [] }
    public static var options: [CommandOption] { [] }
    public static var help: String { summary }
    public static var parsesOwnText: Bool { false }
    public static func complete(_ context: CompletionContext) -> [String] {
        Completion.datasetsAndColumns(context)
    }
}

/// A registered command as plain values (the registry avoids existential metatypes).
public struct CommandEntry: Sendable {
    public let name: String
    public let aliases: [String]
    public let syntax: String
    public let summary: String
    /// The long help, made when asked for: some (`pipeline`'s) list every step, which start-up need not build.
    public var help: String { makeHelp() }
    private let makeHelp: @Sendable () -> String
    public let options: [CommandOption]
    public let parsesOwnText: Bool
    public let complete: @Sendable (CompletionContext) -> [String]
    public let run: @Sendable (Arguments, Session) throws -> any CommandOutput

    public init<C: PetalCommand>(_ c: C.Type) {
        name = C.name; aliases = C.aliases; syntax = C.syntax; summary = C.summary; makeHelp = { C.help }
        options = C.options
        parsesOwnText = C.parsesOwnText
        complete = { C.complete($0) }
        run = { try C.run($0, in: $1) }
    }
}
