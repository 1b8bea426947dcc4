import Foundation
import PetalData

/// A boolean row condition for `filter`: comparisons of a column with a literal, `is null`, `is not null`,
/// `in (…)`, combined with and / or / not and parentheses.
///
/// Chains of `and` / `or` are flat lists, so a long chain is not a deep tree; parentheses and `not` may nest at
/// most `maxDepth` levels (deeper input is refused with an error instead of overflowing the stack).
public indirect enum RowExpression: Sendable {
    case compare(column: String, op: String, literal: Value)
    /// An unquoted word on the right: another column of the frame (an error names it when there is none).
    case compareWord(column: String, op: String, word: String)
    case isNull(column: String, negated: Bool)
    case isIn(column: String, values: [Value])
    /// Every condition holds.
    case all([RowExpression])
    /// At least one condition holds.
    case any([RowExpression])
    case not(RowExpression)

    /// How deeply parentheses and `not` may nest.
    public static let maxDepth = 100

    /// Parses `text`.
    /// - Throws: `PetalError` saying which word was unexpected and what would fit, or that the condition nests
    ///   deeper than `maxDepth`.
    public static func parse(_ text: String) throws -> RowExpression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.lex(text))
        let e = try parser.orExpr()
        if let extra = parser.peek { throw PetalError("unexpected \"\(extra.text)\" in the condition", hint: "join conditions with and / or") }
        return e
    }

    /// A predicate over rows of `frame`.
    /// - Throws: `PetalError` when a column is missing (with a did-you-mean) or a comparison mixes types
    ///   (a number column with text, a text column with a number).
    public func predicate(for frame: Frame) throws -> (Int) -> Bool {
        switch self {
        case .compare(let name, let op, let literal):
            let c = try frame.requireColumn(name)
            let target = try RowExpression.comparable(literal, with: c, op: op)
            // NaN compares false with everything (only != holds), as in IEEE 754, pandas and SQL.
            if case .float(let x) = target, x.isNaN { return { _ in op == "!=" } }
            return { row in
                let v = c[row]
                if v.isNull { return op == "!=" }
                if case .float(let x) = v, x.isNaN { return op == "!=" }
                return RowExpression.holds(op, ValueOrder.compare(v, target))
            }
        case .compareWord(let name, let op, let word):
            let c = try frame.requireColumn(name)
            let other: Column
            do { other = try frame.requireColumn(word) } catch var e as PetalError {
                e.message = "\(e.message) (an unquoted word after \(op) names a column)"
                e.hint = (e.hint.map { $0 + "; " } ?? "") + "to compare with the text, quote it: \(name) \(op) \"\(word)\""
                throw e
            }
            try RowExpression.requireComparable(c, other, op: op)
            return { row in
                let a = c[row], b = other[row]
                if a.isNull || b.isNull { return op == "!=" && a.isNull != b.isNull }
                if case .float(let x) = a, x.isNaN { return op == "!=" }
                if case .float(let y) = b, y.isNaN { return op == "!=" }
                return RowExpression.holds(op, ValueOrder.compare(a, b))
            }
        case .isNull(let name, let negated):
            let c = try frame.requireColumn(name)
            return { row in c.isValid(row) == negated }
        case .isIn(let name, let values):
            let c = try frame.requireColumn(name)
            let targets = try values.map { try RowExpression.comparable($0, with: c, op: "in") }
            return { row in
                let v = c[row]
                if case .float(let x) = v, x.isNaN { return false }
                return targets.contains { t in
                    if case .float(let y) = t, y.isNaN { return false }
                    return ValueOrder.compare(v, t) == 0
                }
            }
        case .all(let parts):
            let ps = try parts.map { try $0.predicate(for: frame) }
            return { row in ps.allSatisfy { $0(row) } }
        case .any(let parts):
            let ps = try parts.map { try $0.predicate(for: frame) }
            return { row in ps.contains { $0(row) } }
        case .not(let a):
            let pa = try a.predicate(for: frame)
            return { !pa($0) }
        }
    }
}

extension RowExpression {
    /// Whether comparison operator `op` holds for an ordering result (-1, 0, 1).
    static func holds(_ op: String, _ cmp: Int) -> Bool {
        switch op {
        case "==": return cmp == 0
        case "!=": return cmp != 0
        case "<": return cmp < 0
        case "<=": return cmp <= 0
        case ">": return cmp > 0
        default: return cmp >= 0
        }
    }

    /// The literal as a value comparable with column `c`: text parsed as a date for date columns; a null
    /// literal as-is.
    /// - Throws: `PetalError` when the literal's kind does not fit the column's type.
    static func comparable(_ literal: Value, with c: Column, op: String) throws -> Value {
        if case .null = literal { return literal }
        let kind = Kind(literal)
        switch (c.type, kind) {
        case (.int, .number), (.float, .number), (.bool, .bool), (.text, .text), (.date, .date), (.datetime, .date):
            return literal
        case (.date, .text), (.datetime, .text):
            guard case .text(let s) = literal, let parsed = DateParsing.parse(s) else {
                throw PetalError("\"\(literal.plainText)\" is not a date, so it cannot be compared with \(c.name) (\(c.type.rawValue))",
                                hint: "write dates as YYYY-MM-DD, e.g. \(c.name) \(op) \"2024-03-01\"")
            }
            return .datetime(parsed.micros, dateOnly: !parsed.hasTime)
        default:
            let shown = kind == .text ? "\"\(literal.plainText)\"" : literal.plainText
            let hint: String
            switch c.type {
            case .int, .float: hint = "\(c.name) holds numbers: compare it with a number, e.g. \(c.name) \(op) 4.5"
            case .text: hint = "\(c.name) holds text: quote the value, e.g. \(c.name) \(op) \"\(literal.plainText)\""
            case .bool: hint = "\(c.name) holds true/false: compare it with true or false"
            case .date, .datetime: hint = "write dates quoted as YYYY-MM-DD, e.g. \(c.name) \(op) \"2024-03-01\""
            }
            throw PetalError("cannot compare \(c.name) (\(c.type.rawValue)) with \(kind.description) \(shown)", hint: hint)
        }
    }

    /// Checks that two columns can be compared (numbers with numbers, text with text, …).
    static func requireComparable(_ a: Column, _ b: Column, op: String) throws {
        func group(_ t: ColumnType) -> Int {
            switch t {
            case .int, .float: return 0
            case .bool: return 1
            case .date, .datetime: return 2
            case .text: return 3
            }
        }
        guard group(a.type) == group(b.type) else {
            throw PetalError("cannot compare \(a.name) (\(a.type.rawValue)) with \(b.name) (\(b.type.rawValue))",
                            hint: "compare columns of the same kind; to compare with the text \(b.name), quote it: \(a.name) \(op) \"\(b.name)\"")
        }
    }

    /// The kind of a literal, for type checks.
    enum Kind: CustomStringConvertible {
        case number, bool, date, text
        init(_ v: Value) {
            switch v {
            case .int, .float: self = .number
            case .bool: self = .bool
            case .datetime: self = .date
            case .text, .null: self = .text
            }
        }
        var description: String {
            switch self {
            case .number: return "the number"
            case .bool: return "the boolean"
            case .date: return "the date"
            case .text: return "the text"
            }
        }
    }
}

struct ExpressionToken { var text: String; var quoted: Bool }

enum ExpressionLexer {
    static func lex(_ text: String) throws -> [ExpressionToken] {
        var out: [ExpressionToken] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "\"" || c == "'" {
                var s = ""
                i += 1
                while i < chars.count && chars[i] != c { s.append(chars[i]); i += 1 }
                guard i < chars.count else { throw PetalError("a quote (\(c)) in the condition is never closed") }
                i += 1
                out.append(ExpressionToken(text: s, quoted: true))
                continue
            }
            if "()[],".contains(c) { out.append(ExpressionToken(text: String(c), quoted: false)); i += 1; continue }
            if "<>=!".contains(c) {
                var op = String(c)
                if i + 1 < chars.count && chars[i + 1] == "=" { op.append("="); i += 1 }
                if op == "=" { op = "==" }
                out.append(ExpressionToken(text: op, quoted: false))
                i += 1
                continue
            }
            var w = ""
            while i < chars.count && !chars[i].isWhitespace && !"()[],<>=!\"'".contains(chars[i]) { w.append(chars[i]); i += 1 }
            out.append(ExpressionToken(text: w, quoted: false))
        }
        return out
    }
}

struct ExpressionParser {
    var tokens: [ExpressionToken]
    var pos = 0
    /// Parentheses and `not`s open around the current token.
    var depth = 0
    var peek: ExpressionToken? { pos < tokens.count ? tokens[pos] : nil }
    mutating func next() -> ExpressionToken? { defer { pos += 1 }; return peek }
    func isWord(_ w: String) -> Bool { peek.map { !$0.quoted && $0.text.lowercased() == w } ?? false }

    mutating func orExpr() throws -> RowExpression {
        var parts = [try andExpr()]
        while isWord("or") { pos += 1; parts.append(try andExpr()) }
        return parts.count == 1 ? parts[0] : .any(parts)
    }
    mutating func andExpr() throws -> RowExpression {
        var parts = [try notExpr()]
        while isWord("and") { pos += 1; parts.append(try notExpr()) }
        return parts.count == 1 ? parts[0] : .all(parts)
    }
    mutating func notExpr() throws -> RowExpression {
        guard isWord("not") || isWord("(") else { return try comparison() }
        depth += 1
        defer { depth -= 1 }
        guard depth <= RowExpression.maxDepth else {
            throw PetalError("the condition nests parentheses and not more than \(RowExpression.maxDepth) levels deep",
                            hint: "write it with fewer levels; and / or chains need no parentheses")
        }
        if isWord("not") { pos += 1; return .not(try notExpr()) }
        pos += 1
        let e = try orExpr()
        guard isWord(")") else { throw PetalError("a parenthesis in the condition is never closed") }
        pos += 1
        return e
    }
    mutating func comparison() throws -> RowExpression {
        guard let column = next() else { throw PetalError("the condition ends too early", hint: "e.g. petal_length > 4 and variety == \"virginica\"") }
        if isWord("is") {
            pos += 1
            var negated = false
            if isWord("not") { pos += 1; negated = true }
            guard isWord("null") else { throw PetalError("expected null after \"is\"") }
            pos += 1
            return .isNull(column: column.text, negated: negated)
        }
        if isWord("in") {
            pos += 1
            guard isWord("(") || isWord("[") else { throw PetalError("expected ( after in", hint: "e.g. island in (\"Biscoe\", \"Dream\")") }
            pos += 1
            var values: [Value] = []
            while let t = peek, !(t.text == ")" || t.text == "]") || t.quoted {
                pos += 1
                if t.text == "," && !t.quoted { continue }
                values.append(literal(t))
            }
            guard peek != nil else { throw PetalError("the list after in is never closed") }
            pos += 1
            return .isIn(column: column.text, values: values)
        }
        guard let op = next(), ["==", "!=", "<", "<=", ">", ">="].contains(op.text), !op.quoted else {
            throw PetalError("expected a comparison (==, !=, <, <=, >, >=, is null, in) after \"\(column.text)\"")
        }
        guard let value = next() else { throw PetalError("expected a value after \(op.text)") }
        let lit = literal(value)
        if !value.quoted, case .text = lit { return .compareWord(column: column.text, op: op.text, word: value.text) }
        return .compare(column: column.text, op: op.text, literal: lit)
    }

    func literal(_ t: ExpressionToken) -> Value {
        if t.quoted { return .text(t.text) }
        if let i = Int64(t.text) { return .int(i) }
        if let d = Double(t.text) { return .float(d) }
        switch t.text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: return .text(t.text)
        }
    }
}
