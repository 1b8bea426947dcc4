import Foundation
import PetalData

/// A boolean row condition for `filter`: comparisons of a column with a literal, `is null`, `is not null`,
/// `in (…)`, combined with and / or / not and parentheses.
public indirect enum RowExpression: Sendable {
    case compare(column: String, op: String, literal: Value)
    /// An unquoted word on the right: another column when the frame has one by that name, else text.
    case compareWord(column: String, op: String, word: String)
    case isNull(column: String, negated: Bool)
    case isIn(column: String, values: [Value])
    case and(RowExpression, RowExpression)
    case or(RowExpression, RowExpression)
    case not(RowExpression)

    /// Parses `text`.
    /// - Throws: `DataError` saying which word was unexpected and what would fit.
    public static func parse(_ text: String) throws -> RowExpression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.lex(text))
        let e = try parser.orExpr()
        if let extra = parser.peek { throw DataError("unexpected \"\(extra.text)\" in the condition", hint: "join conditions with and / or") }
        return e
    }

    /// A predicate over rows of `frame`; throws when a column is missing or a comparison mixes types.
    public func predicate(for frame: Frame) throws -> (Int) -> Bool {
        switch self {
        case .compare(let name, let op, let literal):
            let c = try frame.requireColumn(name)
            let target: Value
            if c.type == .date || c.type == .datetime, case .text(let s) = literal {
                guard let parsed = DateParsing.parse(s) else {
                    throw DataError("\"\(s)\" is not a date", hint: "write dates as YYYY-MM-DD")
                }
                target = .datetime(parsed.micros, dateOnly: !parsed.hasTime)
            } else { target = literal }
            try RowExpression.checkComparable(c, target, op: op)
            return { row in
                let v = c[row]
                if v.isNull { return op == "!=" }
                return RowExpression.holds(op, ValueOrder.compare(v, target))
            }
        case .compareWord(let name, let op, let word):
            guard let other = frame.column(named: word) else {
                if let c = frame.column(named: name), c.type.isNumeric || c.type == .bool {
                    throw DataError("\(name) \(op) \(word): \(word) is neither a column nor a number",
                                    hint: "columns: " + frame.columnNames.joined(separator: ", "))
                }
                return try RowExpression.compare(column: name, op: op, literal: .text(word)).predicate(for: frame)
            }
            let c = try frame.requireColumn(name)
            return { row in
                let a = c[row], b = other[row]
                if a.isNull || b.isNull { return op == "!=" && a.isNull != b.isNull }
                return RowExpression.holds(op, ValueOrder.compare(a, b))
            }
        case .isNull(let name, let negated):
            let c = try frame.requireColumn(name)
            return { row in c.isValid(row) == negated }
        case .isIn(let name, let values):
            let c = try frame.requireColumn(name)
            for v in values where !(c.type == .date || c.type == .datetime) { try RowExpression.checkComparable(c, v, op: "in") }
            return { row in values.contains { ValueOrder.compare(c[row], $0) == 0 } }
        case .and(let a, let b):
            let pa = try a.predicate(for: frame), pb = try b.predicate(for: frame)
            return { pa($0) && pb($0) }
        case .or(let a, let b):
            let pa = try a.predicate(for: frame), pb = try b.predicate(for: frame)
            return { pa($0) || pb($0) }
        case .not(let a):
            let pa = try a.predicate(for: frame)
            return { !pa($0) }
        }
    }
}

extension RowExpression {
    /// Refuses a comparison that can never hold because the types differ (`petal_length > "abc"` would silently
    /// keep no row): text against a number column, or a number against a text column.
    static func checkComparable(_ c: Column, _ literal: Value, op: String) throws {
        let numeric = c.type.isNumeric || c.type == .bool
        switch literal {
        case .text(let s) where numeric:
            throw DataError("\(c.name) is a \(c.type.rawValue) column; \"\(s)\" is text, so \(c.name) \(op) \"\(s)\" never holds",
                            hint: "compare it with a number, e.g. \(c.name) \(op == "in" ? ">" : op) 4.5")
        case .int where c.type == .text, .float where c.type == .text:
            throw DataError("\(c.name) is a text column; \(literal.plainText) is a number, so the comparison never holds",
                            hint: "quote the value to compare text: \(c.name) \(op == "in" ? "==" : op) \"\(literal.plainText)\"")
        default: return
        }
    }

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
                guard i < chars.count else { throw DataError("a quote (\(c)) in the condition is never closed") }
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
    var peek: ExpressionToken? { pos < tokens.count ? tokens[pos] : nil }
    mutating func next() -> ExpressionToken? { defer { pos += 1 }; return peek }
    func isWord(_ w: String) -> Bool { peek.map { !$0.quoted && $0.text.lowercased() == w } ?? false }

    mutating func orExpr() throws -> RowExpression {
        var e = try andExpr()
        while isWord("or") { pos += 1; e = .or(e, try andExpr()) }
        return e
    }
    mutating func andExpr() throws -> RowExpression {
        var e = try notExpr()
        while isWord("and") { pos += 1; e = .and(e, try notExpr()) }
        return e
    }
    mutating func notExpr() throws -> RowExpression {
        if isWord("not") { pos += 1; return .not(try notExpr()) }
        if isWord("(") {
            pos += 1
            let e = try orExpr()
            guard isWord(")") else { throw DataError("a parenthesis in the condition is never closed") }
            pos += 1
            return e
        }
        return try comparison()
    }
    mutating func comparison() throws -> RowExpression {
        guard let column = next() else { throw DataError("the condition ends too early", hint: "e.g. petal_length > 4 and variety == \"virginica\"") }
        if isWord("is") {
            pos += 1
            var negated = false
            if isWord("not") { pos += 1; negated = true }
            guard isWord("null") else { throw DataError("expected null after \"is\"") }
            pos += 1
            return .isNull(column: column.text, negated: negated)
        }
        if isWord("in") {
            pos += 1
            guard isWord("(") || isWord("[") else { throw DataError("expected ( after in", hint: "e.g. island in (\"Biscoe\", \"Dream\")") }
            pos += 1
            var values: [Value] = []
            while let t = peek, !(t.text == ")" || t.text == "]") || t.quoted {
                pos += 1
                if t.text == "," && !t.quoted { continue }
                values.append(literal(t))
            }
            guard peek != nil else { throw DataError("the list after in is never closed") }
            pos += 1
            return .isIn(column: column.text, values: values)
        }
        guard let op = next(), ["==", "!=", "<", "<=", ">", ">="].contains(op.text), !op.quoted else {
            throw DataError("expected a comparison (==, !=, <, <=, >, >=, is null, in) after \"\(column.text)\"")
        }
        guard let value = next() else { throw DataError("expected a value after \(op.text)") }
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
