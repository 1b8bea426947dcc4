import PetalData

/// Turns a `RunFilter` into a SQL condition over `runs r JOIN experiments e`, with bound values.
/// Two-valued logic: a comparison with a missing value (a run without that param) is false, so NOT of it is true.
extension RunFilter {
    func sql(_ binds: inout [SQLiteValue]) -> String {
        switch self {
        // A chain of one operator is written flat, (a AND b AND c), so its length does not nest the SQL.
        case .and: return "(" + terms(and: true).map { $0.sql(&binds) }.joined(separator: " AND ") + ")"
        case .or: return "(" + terms(and: false).map { $0.sql(&binds) }.joined(separator: " OR ") + ")"
        case .not(let a): return "(NOT " + a.sql(&binds) + ")"
        case .compare(let field, let op, let literal):
            let numeric: Bool
            if case .number = literal { numeric = true } else { numeric = false }
            let lhs = field.sql(numeric: numeric, &binds)
            binds.append(literal.sqlValue)
            return "IFNULL((\(lhs) \(op.rawValue) ?), 0)"
        case .isIn(let values, let field, let negated):
            var parts: [String] = []
            let numbers = values.filter { if case .number = $0 { return true } else { return false } }
            let texts = values.filter { if case .text = $0 { return true } else { return false } }
            for (group, numeric) in [(numbers, true), (texts, false)] where !group.isEmpty {
                let lhs = field.sql(numeric: numeric, &binds)
                binds.append(contentsOf: group.map(\.sqlValue))
                parts.append("IFNULL((\(lhs) IN (" + group.map { _ in "?" }.joined(separator: ", ") + ")), 0)")
            }
            let any = "(" + parts.joined(separator: " OR ") + ")"
            return negated ? "(NOT " + any + ")" : any
        case .like(let field, let pattern, let negated):
            let lhs = field.sql(numeric: false, &binds)
            binds.append(.text(pattern))
            let test = "IFNULL((\(lhs) LIKE ?), 0)"
            return negated ? "(NOT " + test + ")" : test
        case .isNull(let field, let negated):
            let lhs = field.sql(numeric: false, &binds)
            return "(\(lhs) IS \(negated ? "NOT " : "")NULL)"
        }
    }
}

extension RunFilter {
    /// The operands of a chain of ANDs (or ORs), left to right.
    func terms(and: Bool) -> [RunFilter] {
        var out: [RunFilter] = []
        var pending: [RunFilter] = [self]
        while let f = pending.popLast() {
            switch (f, and) {
            case (.and(let a, let b), true), (.or(let a, let b), false): pending.append(b); pending.append(a)
            default: out.append(f)
            }
        }
        return out
    }
}

extension FilterLiteral {
    var sqlValue: SQLiteValue {
        switch self {
        case .number(let d): return .double(d)
        case .text(let s): return .text(s)
        }
    }
}

extension RunField {
    /// The SQL expression for this field; `numeric` picks a param's parsed number (or a tag cast to a number).
    func sql(numeric: Bool, _ binds: inout [SQLiteValue]) -> String {
        switch self {
        case .attribute(let a):
            switch a {
            case "id": return "r.id"
            case "experiment": return "e.name"
            case "pipeline": return "r.pipeline_name"
            case "steps": return "r.pipeline"
            case "duration": return "(r.ended - r.started)"
            default: return "r." + a  // status, kind, dataset, seed, fingerprint, note, started, ended (checked by the parser)
            }
        case .param(let key):
            binds.append(.text(key))
            return "(SELECT \(numeric ? "num" : "value") FROM params WHERE run_id = r.id AND key = ?)"
        case .metric(let key, let aggregate):
            binds.append(.text(key))
            switch aggregate {
            case "min": return "(SELECT MIN(value) FROM metrics WHERE run_id = r.id AND key = ?)"
            case "max": return "(SELECT MAX(value) FROM metrics WHERE run_id = r.id AND key = ?)"
            default: return "(SELECT value FROM metrics WHERE run_id = r.id AND key = ? ORDER BY step DESC LIMIT 1)"
            }
        case .tag(let key):
            binds.append(.text(key))
            let text = "(SELECT value FROM tags WHERE run_id = r.id AND key = ?)"
            return numeric ? "CAST(\(text) AS REAL)" : text
        }
    }
}
