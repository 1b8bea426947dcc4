import PetalData

/// `filter NAME CONDITION [as OUT]`: keep the rows where a condition holds.
public enum FilterCommand: PetalCommand {
    public static let name = "filter"
    public static let aliases = ["where"]
    public static let syntax = "filter NAME CONDITION [as OUT]"
    public static let parsesOwnText = true
    public static let summary = "keep rows where a condition holds, e.g. petal_length > 4 and variety != \"setosa\""
    public static let help = """
        Conditions compare a column with a value: ==, !=, <, <=, >, >=; COL is null, COL is not null;
        COL in ("a", "b"); combined with and, or, not and parentheses. Text values are quoted; an unquoted
        name on the right is another column (predicted != variety).
        Examples:
          filter iris petal_length > 4 and variety != "setosa" as big
          filter penguins sex is null as unknown_sex
        """

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        let d = try session.dataset(name)
        var condition = String(args.rawText.dropFirst(name.count)).trimmingCharacters(in: .whitespaces)
        if let alias = args.alias, let range = condition.range(of: " as \(alias)", options: [.backwards]) {
            condition = String(condition[..<range.lowerBound])
        }
        guard !condition.isEmpty else { throw PetalError("filter needs a condition", hint: "usage: \(syntax)") }
        let predicate = try RowExpression.parse(condition).predicate(for: d.frame)
        let frame = d.frame.filter(predicate)
        let out = try args.alias.map(OpenCommand.validName) ?? d.name
        session.store(frame, as: out, source: "filter \(d.name) \(condition)")
        return MessageOutput("\(out): \(NumberFormat.count(frame.rowCount)) of \(NumberFormat.count(d.frame.rowCount)) rows where \(condition)",
                             fields: [("dataset", .string(out)), ("rows", .int(frame.rowCount))])
    }
}
