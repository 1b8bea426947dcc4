import PetalData
import PetalFeatures

/// `expect GROUP COL between LO HI | not_null | in A,B,C`: a validation rule every insert into the group must pass.
public enum ExpectCommand: PetalCommand {
    public static let name = "expect"
    public static let syntax = "expect GROUP COL between LO HI  |  expect GROUP COL not_null  |  expect GROUP COL in A,B,C  |  expect GROUP"
    public static let summary = "a data validation rule on a feature group's column, checked on every insert"
    public static let help = """
        Rules are checked on every insert into the group (every version); a batch with any row that breaks a rule is
        rejected whole, and the error lists the rows (counted from 0) and the rules they broke. One rule of each kind
        per column: a new one replaces the old. expect GROUP lists the group's rules.
          between LO HI   numbers from LO to HI inclusive (nulls pass; add not_null to refuse them)
          not_null        no missing values
          in A,B,C        one of these values (quote a value with spaces or commas: in "New York",Boston)
        Examples:
          expect iris_fg sepal_length between 0 30
          expect iris_fg variety in setosa,versicolor,virginica
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        context.previous.count == 3 ? ["between", "not_null", "in"].filter { $0.hasPrefix(context.partial) } : []
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let store = try session.requireFeatureStore()
        let group = try args.required(0, "a feature group", syntax: syntax)
        guard args.positional.count > 1 else {
            let g = try store.group(group)
            let rules = try store.storage.expectations(of: g.name)
            return MessageOutput(rules.isEmpty ? "\(g.name) has no rules" : rules.map { "expect \($0.group) \($0.column) \($0.rule.text)" }.joined(separator: "\n"),
                                 fields: [("rules", .array(rules.map { .object([("column", .string($0.column)), ("rule", .string($0.rule.text))]) }))])
        }
        let column = try args.required(1, "a column", syntax: syntax)
        let kind = try args.required(2, "a rule (between, not_null, in)", syntax: syntax).lowercased()
        let rule: Expectation.Rule
        switch kind {
        case "between":
            try args.checkPositional(max: 5, syntax: syntax)
            let lo = try args.required(3, "a low bound", syntax: syntax), hi = try args.required(4, "a high bound", syntax: syntax)
            guard let l = Double(lo), let h = Double(hi), l.isFinite, h.isFinite else {
                throw PetalError("between \(lo) \(hi): both bounds must be numbers", hint: "e.g. expect \(group) \(column) between 0 30")
            }
            rule = .between(l, h)
        case "not_null", "not-null", "notnull":
            try args.checkPositional(max: 3, syntax: syntax)
            rule = .notNull
        case "in":
            let values = args.positional.dropFirst(3).flatMap { $0.split(separator: ",", omittingEmptySubsequences: true).map(String.init) }
            guard !values.isEmpty else { throw PetalError("in needs values", hint: "e.g. expect \(group) \(column) in setosa,versicolor") }
            rule = .oneOf(values)
        default:
            throw PetalError("expect has no rule \"\(kind)\"", hint: "rules: between LO HI, not_null, in A,B,C")
        }
        try store.addExpectation(Expectation(group: group, column: column, rule: rule))
        return MessageOutput("every insert into \(group) must have \(column) \(rule.text)",
                             fields: [("group", .string(group)), ("column", .string(column)), ("rule", .string(rule.text))])
    }
}
