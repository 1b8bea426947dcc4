import PetalData

/// How a batch's columns compare with a feature group's schema, checked on every insert.
public enum GroupSchema {
    /// Every way `frame` differs from `columns`, one phrase each, naming the column: a new column, a missing one, a
    /// type that does not fit (an int column fits a float one; nothing else is converted).
    public static func differences(_ frame: Frame, from columns: [FeatureColumn]) -> [String] {
        var out: [String] = []
        let known = Dictionary(columns.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        for c in frame.columns where known[c.name] == nil { out.append("new column \(c.name) (\(c.type.rawValue))") }
        for c in columns {
            guard let found = frame.column(named: c.name) else { out.append("missing column \(c.name) (\(c.type.rawValue))"); continue }
            if !fits(found.type, into: c.type) {
                out.append("column \(c.name) is \(found.type.rawValue) here but \(c.type.rawValue) in the group")
            }
        }
        return out
    }

    /// True when values of type `found` can be stored in a column of type `expected`.
    static func fits(_ found: ColumnType, into expected: ColumnType) -> Bool {
        found == expected || (found == .int && expected == .float) || (found == .date && expected == .datetime)
    }

    /// `frame`'s columns in the group's order and types (ints widened to floats, dates to datetimes).
    static func conform(_ frame: Frame, to columns: [FeatureColumn]) throws -> Frame {
        try Frame(columns: columns.map { c in
            let column = try frame.requireColumn(c.name)
            guard column.type != c.type else { return column }
            switch (column.storage, c.type) {
            case (.int(let v), .float): return Column(name: c.name, storage: .float(v.map(Double.init)), validity: column.validity)
            case (.datetime(let v, _), .datetime): return Column(name: c.name, storage: .datetime(v, dateOnly: false), validity: column.validity)
            default: throw PetalError("column \(c.name) is \(column.type.rawValue) but the group stores \(c.type.rawValue)")
            }
        })
    }

    /// Group, view and job names: letters, digits, `_` and `-`, starting with a letter.
    public static func checkName(_ name: String, what: String) throws {
        let ok = name.first?.isLetter == true && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        guard ok else {
            throw PetalError("\"\(name)\" cannot name a \(what)", hint: "use letters, digits, _ and -, starting with a letter")
        }
    }
}
