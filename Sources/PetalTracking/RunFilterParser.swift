/// Parses the text of `runs where …` into a `RunFilter` (recursive descent; precedence NOT > AND > OR).
///
///     expr    := and (OR and)*
///     and     := unary (AND unary)*
///     unary   := NOT unary | '(' expr ')' | test
///     test    := NAME op value | NAME [NOT] IN '(' value (',' value)* ')' | NAME [NOT] LIKE string | NAME IS [NOT] NULL
///     op      := = | == | != | <> | < | <= | > | >=
///     value   := number | 'text' | "text" | word
public struct RunFilterParser {
    enum Kind: Equatable { case name, number, string, symbol, end }
    struct Token { var kind: Kind; var text: String; var column: Int }

    private var tokens: [Token] = []
    private var position = 0
    /// How many `unary` calls are open (parentheses and NOTs being read), so the recursion itself is bounded.
    private var nesting = 0
    private let keys: KnownKeys

    /// Parses `text`; errors carry the 1-based column of the offending token within `text`.
    public static func parse(_ text: String, keys: KnownKeys = KnownKeys()) throws(FilterError) -> RunFilter {
        var parser = RunFilterParser(keys: keys)
        parser.tokens = try lex(text)
        let filter = try parser.expression()
        guard parser.peek.kind == .end else { throw parser.unexpected(parser.peek, expecting: "AND, OR or the end") }
        return filter
    }

    private init(keys: KnownKeys) { self.keys = keys }

    // MARK: - Grammar

    /// How deep the parsed condition may be: parentheses, NOTs and the terms of AND / OR chains each add a
    /// level. Deeper input is refused with an error (it would overflow the stack, and SQLite refuses
    /// expressions deeper than 1,000 anyway).
    public static let maxDepth = 200
    /// How deeply parentheses and NOT may nest (each level nests the SQL, whose parser allows about 100).
    public static let maxNesting = 32

    private mutating func expression() throws(FilterError) -> RunFilter { try chain(or: true).filter }

    /// `operand (OR operand)*` (operands: AND chains) or `operand (AND operand)*` (operands: unary), left-associative;
    /// returns the tree and its depth.
    private mutating func chain(or: Bool) throws(FilterError) -> (filter: RunFilter, depth: Int) {
        let keyword = or ? "or" : "and"
        var (left, depth) = or ? try chain(or: false) : try unary()
        while isKeyword(keyword) {
            let at = advance()
            let (right, rightDepth) = or ? try chain(or: false) : try unary()
            left = or ? .or(left, right) : .and(left, right)
            depth = max(depth, rightDepth) + 1
            try checkDepth(depth, at: at)
        }
        return (left, depth)
    }

    private mutating func unary() throws(FilterError) -> (filter: RunFilter, depth: Int) {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > RunFilterParser.maxNesting {
            throw FilterError(message: "the condition nests parentheses and NOT more than \(RunFilterParser.maxNesting) levels deep at column \(peek.column)",
                              column: peek.column, hint: "write it with fewer levels; AND / OR chains need no parentheses")
        }
        if isKeyword("not") {
            let at = advance()
            let (inner, depth) = try unary()
            try checkDepth(depth + 1, at: at)
            return (.not(inner), depth + 1)
        }
        if peek.kind == .symbol && peek.text == "(" {
            let open = advance()
            let (inner, depth) = try chain(or: true)
            guard peek.kind == .symbol && peek.text == ")" else {
                throw FilterError(message: "the parenthesis opened at column \(open.column) is not closed", column: peek.column,
                                  hint: "add a ) here")
            }
            advance()
            return (inner, depth)
        }
        return (try test(), 1)
    }

    private func checkDepth(_ depth: Int, at token: Token) throws(FilterError) {
        guard depth > RunFilterParser.maxDepth else { return }
        throw FilterError(message: "the condition is more than \(RunFilterParser.maxDepth) levels deep (conditions joined by AND / OR, parentheses, NOT) at column \(token.column)",
                          column: token.column, hint: "write a shorter condition, or several runs where … in turn")
    }

    private mutating func test() throws(FilterError) -> RunFilter {
        let nameToken = peek
        guard nameToken.kind == .name, !["and", "or", "not", "in", "like", "is", "null"].contains(nameToken.text.lowercased()) else {
            throw unexpected(nameToken, expecting: "a name such as metrics.accuracy, params.knn.n_neighbors, tags.stage or status")
        }
        advance()
        guard let field = RunField.resolve(nameToken.text, keys: keys) else {
            throw FilterError(message: "unknown name \"\(nameToken.text)\" at column \(nameToken.column)", column: nameToken.column,
                              hint: "write params.NAME, metrics.NAME or tags.NAME, or an attribute: " + RunField.attributes.joined(separator: ", "))
        }
        if isKeyword("is") {
            advance()
            var negated = false
            if isKeyword("not") { advance(); negated = true }
            guard isKeyword("null") else { throw unexpected(peek, expecting: "NULL") }
            advance()
            return .isNull(field, negated: negated)
        }
        var negated = false
        if isKeyword("not") { advance(); negated = true }
        if isKeyword("in") {
            advance()
            guard peek.kind == .symbol && peek.text == "(" else { throw unexpected(peek, expecting: "( after IN") }
            advance()
            var values = [try value()]
            while peek.kind == .symbol && peek.text == "," { advance(); values.append(try value()) }
            guard peek.kind == .symbol && peek.text == ")" else { throw unexpected(peek, expecting: ", or ) in the IN list") }
            advance()
            return .isIn(values, field, negated: negated)
        }
        if isKeyword("like") {
            advance()
            guard case .text(let pattern) = try value() else {
                throw FilterError(message: "LIKE takes a text pattern", column: tokens[position - 1].column, hint: "e.g. pipeline LIKE \"%forest%\"")
            }
            return .like(field, pattern, negated: negated)
        }
        if negated { throw unexpected(peek, expecting: "IN or LIKE after NOT") }
        guard peek.kind == .symbol, let op = RunFilterParser.comparison(peek.text) else {
            throw unexpected(peek, expecting: "a comparison (=, !=, <, <=, >, >=), IN, LIKE or IS NULL")
        }
        advance()
        return .compare(field, op, try value())
    }

    private mutating func value() throws(FilterError) -> FilterLiteral {
        let t = peek
        switch t.kind {
        case .number:
            advance()
            return .number(Double(t.text) ?? 0)
        case .string:
            advance()
            return .text(t.text)
        case .name where !["and", "or", "not", "in", "like", "is", "null"].contains(t.text.lowercased()):
            advance()
            return .text(t.text)
        default:
            throw unexpected(t, expecting: "a value (a number or quoted text)")
        }
    }

    // MARK: - Tokens

    private var peek: Token { tokens[min(position, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let t = peek
        position += 1
        return t
    }

    private func isKeyword(_ word: String) -> Bool { peek.kind == .name && peek.text.lowercased() == word }

    private func unexpected(_ t: Token, expecting: String) -> FilterError {
        let what = t.kind == .end ? "the condition ends" : "unexpected \"\(t.text)\""
        return FilterError(message: "\(what) at column \(t.column); expected \(expecting)", column: t.column, hint: nil)
    }

    static func comparison(_ s: String) -> Comparison? {
        switch s {
        case "=", "==": return .equal
        case "!=", "<>": return .notEqual
        case "<": return .less
        case "<=": return .lessOrEqual
        case ">": return .greater
        case ">=": return .greaterOrEqual
        default: return nil
        }
    }

    static func lex(_ text: String) throws(FilterError) -> [Token] {
        let chars = Array(text)
        var out: [Token] = []
        var i = 0
        func isNameChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." || c == "-" || c == "/" || c == "@" }
        while i < chars.count {
            let c = chars[i]
            let column = i + 1
            if c.isWhitespace { i += 1; continue }
            if c == "\"" || c == "'" || c == "`" {
                var s = ""
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == c {
                        // A doubled quote stands for itself, as in SQL.
                        if i + 1 < chars.count && chars[i + 1] == c { s.append(c); i += 2; continue }
                        closed = true; i += 1; break
                    }
                    s.append(chars[i]); i += 1
                }
                guard closed else { throw FilterError(message: "the quote (\(c)) at column \(column) is never closed", column: column, hint: "add the closing \(c)") }
                out.append(Token(kind: c == "`" ? .name : .string, text: s, column: column))
                continue
            }
            if c.isNumber || ((c == "-" || c == "+" || c == ".") && i + 1 < chars.count && (chars[i + 1].isNumber || chars[i + 1] == ".")) {
                var j = i + 1
                while j < chars.count && (chars[j].isNumber || chars[j] == "." || chars[j] == "e" || chars[j] == "E"
                                          || ((chars[j] == "-" || chars[j] == "+") && (chars[j - 1] == "e" || chars[j - 1] == "E"))) { j += 1 }
                let s = String(chars[i..<j])
                if j < chars.count && isNameChar(chars[j]) && !(chars[j] == "-" || chars[j] == ".") {
                    // Not a number after all (`3rd`, `2024-01-01` stay words).
                    var k = j
                    while k < chars.count && isNameChar(chars[k]) { k += 1 }
                    out.append(Token(kind: .name, text: String(chars[i..<k]), column: column)); i = k; continue
                }
                guard Double(s) != nil else { throw FilterError(message: "\"\(s)\" at column \(column) is not a number", column: column, hint: nil) }
                out.append(Token(kind: .number, text: s, column: column)); i = j; continue
            }
            if c.isLetter || c == "_" {
                var j = i + 1
                while j < chars.count && isNameChar(chars[j]) { j += 1 }
                out.append(Token(kind: .name, text: String(chars[i..<j]), column: column)); i = j; continue
            }
            let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
            if ["<=", ">=", "!=", "<>", "=="].contains(two) { out.append(Token(kind: .symbol, text: two, column: column)); i += 2; continue }
            if "=<>(),".contains(c) { out.append(Token(kind: .symbol, text: String(c), column: column)); i += 1; continue }
            throw FilterError(message: "unexpected \"\(c)\" at column \(column)", column: column,
                              hint: "conditions use =, !=, <, <=, >, >=, IN, LIKE, IS NULL, AND, OR, NOT and parentheses")
        }
        out.append(Token(kind: .end, text: "", column: chars.count + 1))
        return out
    }
}
