import PetalData

/// A setting of the session, changed with `set NAME=VALUE` (or the line `NAME=VALUE` alone) for this session only,
/// and listed by `set`. Each setting is declared once, beside the feature it sets (`SessionSetting.trackingURI` in
/// Tracking/RemoteTracking.swift), and listed in `SessionSettings.all`.
public struct SessionSetting: Sendable {
    public let name: String
    /// What it does, one line, for `set` and `help set`.
    public let summary: String
    /// A sample value for help and errors (`http://localhost:5000`).
    public let example: String
    /// The value in effect, as shown (no password), or nil when it is unset.
    let current: @Sendable (Session) -> String?
    /// Sets the value; returns the line that says what changed.
    let apply: @Sendable (Session, String) throws -> String

    /// The setting as `set`'s option, for the option check, `help set` and completion.
    var option: CommandOption { CommandOption(name, placeholder: example, help: summary) }
}

/// The registry of session settings, in the order `set` lists them.
public enum SessionSettings {
    public static let all: [SessionSetting] = [.trackingURI]

    public static func find(_ name: String) -> SessionSetting? { all.first { $0.name == name.lowercased() } }
}

/// `set [NAME=VALUE …]`: shows the session's settings, or changes them for this session.
public enum SetCommand: PetalCommand {
    public static let name = "set"
    public static let syntax = "set [NAME=VALUE …]"
    public static let summary = "show the session's settings, or change one for this session (tracking_uri=URL)"
    public static var help: String {
        let examples = SessionSettings.all.map { "  set \($0.name)=\($0.example)      (or just \($0.name)=\($0.example))" }
        return (["Settings last for this session; set alone lists them with their values.", "Examples:"] + examples)
            .joined(separator: "\n")
    }
    /// One option per setting, made from `SessionSettings.all`.
    public static var options: [CommandOption] { SessionSettings.all.map(\.option) }

    public static func complete(_ context: CompletionContext) -> [String] {
        SessionSettings.all.map { $0.name + "=off" }  // and `name=`, from `options`
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 0, syntax: syntax)
        guard !args.options.isEmpty else { return list(session) }
        var lines: [String] = []
        for (key, value) in args.options {
            guard let setting = SessionSettings.find(key) else { throw PetalError("there is no setting \"\(key)\"", hint: "usage: \(syntax)") }
            lines.append(try setting.apply(session, value))
        }
        let values = SessionSettings.all.map { ($0.name, $0.current(session).map(JSONValue.string) ?? .null) }
        return MessageOutput(lines.joined(separator: "\n"), fields: [("settings", .object(values))])
    }

    /// Every setting with its value.
    static func list(_ session: Session) -> any CommandOutput {
        let rows = SessionSettings.all.map { [$0.name, $0.current(session) ?? "off", $0.summary] }
        let table = TextTable(headers: ["setting", "value", ""], alignments: [.left, .left, .left], rows: rows)
        let values = SessionSettings.all.map { ($0.name, $0.current(session).map(JSONValue.string) ?? .null) }
        return MessageOutput(table.render(width: session.width), fields: [("settings", .object(values))])
    }
}
