import PetalData

/// A data validation rule on one column of a feature group (`expect GROUP COL between 0 30`), checked on every insert.
public struct Expectation: Codable, Hashable, Sendable {
    public enum Rule: Codable, Hashable, Sendable {
        /// Numbers from `low` to `high` inclusive (nulls are not checked: `notNull` does that).
        case between(Double, Double)
        /// No nulls (or NaN).
        case notNull
        /// One of these values, compared as text (`in setosa,versicolor`).
        case oneOf([String])

        /// The rule's kind, one rule of each kind per column.
        public var kind: String {
            switch self {
            case .between: return "between"
            case .notNull: return "not_null"
            case .oneOf: return "in"
            }
        }

        /// As a user writes it: `between 0 30`, `not_null`, `in a,b,c`.
        public var text: String {
            switch self {
            case .between(let lo, let hi): return "between \(NumberText.shortest(lo)) \(NumberText.shortest(hi))"
            case .notNull: return "not_null"
            case .oneOf(let values): return "in " + values.joined(separator: ",")
            }
        }
    }
    public var group: String
    public var column: String
    public var rule: Rule

    public init(group: String, column: String, rule: Rule) { self.group = group; self.column = column; self.rule = rule }

    /// True when row `i` of `column` passes.
    func passes(_ column: Column, row i: Int) -> Bool {
        let value = column[i]
        switch rule {
        case .notNull: return !value.isNull
        case .between(let lo, let hi):
            if value.isNull { return true }
            guard let x = value.doubleValue else { return false }
            return x >= lo && x <= hi
        case .oneOf(let values):
            return value.isNull || values.contains(value.plainText)
        }
    }
}

/// One row that broke a rule.
public struct Violation: Sendable, Hashable {
    /// 0-based row of the inserted data set (as `head` counts).
    public var row: Int
    public var column: String
    public var value: String
    public var rule: String
}

/// Checks a batch against a group's rules: all rows, every rule, so a rejected batch lists every problem at once.
public enum Validation {
    /// The rows of `frame` that break `rules` (a rule on a column the frame lacks is reported once, as row -1).
    public static func violations(_ frame: Frame, rules: [Expectation]) -> [Violation] {
        var out: [Violation] = []
        for rule in rules {
            guard let column = frame.column(named: rule.column) else {
                out.append(Violation(row: -1, column: rule.column, value: "", rule: rule.rule.text))
                continue
            }
            for i in 0..<frame.rowCount where !rule.passes(column, row: i) {
                let v = column[i]
                out.append(Violation(row: i, column: rule.column, value: v.isNull ? "null" : v.plainText, rule: rule.rule.text))
            }
        }
        return out.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
    }

    /// The error for a rejected batch: how many rows broke which rule, then the first `limit` of them.
    static func error(_ violations: [Violation], group: String, dataset: String, limit: Int = 10) -> PetalError {
        let rows = Set(violations.map(\.row)).count
        var byRule: [String: Int] = [:]
        for v in violations { byRule["\(v.column) \(v.rule)", default: 0] += 1 }
        let summary = byRule.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value) row\($0.value == 1 ? "" : "s")" }.joined(separator: "; ")
        var lines = violations.prefix(limit).map { v in
            v.row < 0 ? "  \(dataset) has no column \(v.column) (rule: \(v.column) \(v.rule))"
                : "  row \(v.row): \(v.column) = \(v.value), expected \(v.rule)"
        }
        if violations.count > limit { lines.append("  … and \(violations.count - limit) more") }
        return PetalError("rejected the whole insert into \(group): \(rows) row\(rows == 1 ? "" : "s") of \(dataset) broke its expectations (\(summary))\n"
                         + lines.joined(separator: "\n"),
                         hint: "fix or filter those rows (rows count from 0, as head shows them) and insert again; nothing was written")
    }
}
