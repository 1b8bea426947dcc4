import PetalData

/// A token of the command language.
public enum Token: Sendable, Equatable {
    /// A bare or quoted word (`describe`, `iris.petal_length`, `"my file.csv"`).
    case word(String, quoted: Bool)
    /// `name=value` (the value may be quoted: `query="SELECT 1"`).
    case option(String, String)
    /// A lone `=` (as in `pipeline p = …`).
    case equals
    /// `|` between pipeline steps.
    case pipe
}

/// Splits command text into tokens and scripts into commands.
public enum Tokenizer {
    /// Tokens of one command. Quotes are `"…"` or `'…'` with backslash escapes inside double quotes.
    /// - Throws: `PetalError` for an unclosed quote, naming the column where it opened.
    public static func tokens(_ text: String) throws -> [Token] {
        var out: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c == "|" { out.append(.pipe); i += 1; continue }
            if c == "=" && (i + 1 == chars.count || chars[i + 1] == " ") { out.append(.equals); i += 1; continue }
            // A word, possibly key=value, possibly quoted in parts.
            var word = ""
            var key: String?
            var quoted = false
            while i < chars.count {
                let ch = chars[i]
                if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" || ch == "|" { break }
                if ch == "\"" || ch == "'" {
                    let open = i
                    i += 1
                    var closed = false
                    while i < chars.count {
                        if chars[i] == ch { closed = true; i += 1; break }
                        if ch == "\"" && chars[i] == "\\" && i + 1 < chars.count {
                            let next = chars[i + 1]
                            word.append(next == "n" ? "\n" : next == "t" ? "\t" : next)
                            i += 2
                            continue
                        }
                        word.append(chars[i])
                        i += 1
                    }
                    guard closed else {
                        throw PetalError("a quote (\(ch)) opened at column \(open + 1) is never closed",
                                        hint: "add the closing \(ch)")
                    }
                    quoted = true
                    continue
                }
                if ch == "=" && key == nil && !quoted && !word.isEmpty {
                    key = word
                    word = ""
                    i += 1
                    continue
                }
                word.append(ch)
                i += 1
            }
            if let key { out.append(.option(key, word)) } else { out.append(.word(word, quoted: quoted)) }
        }
        return out
    }

    /// Splits a script into commands at `;` and newlines outside quotes; `#` where a command starts begins a comment
    /// that runs to the end of the line (a `;` or quote inside it starts nothing).
    public static func commands(_ script: String) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        var comment = false
        for ch in script {
            if comment {
                if ch == "\n" { comment = false }
                continue
            }
            if ch == "#" && quote == nil && current.allSatisfy({ $0 == " " || $0 == "\t" }) {
                comment = true
                current = ""
                continue
            }
            if let q = quote {
                current.append(ch)
                if escaped { escaped = false } else if ch == "\\" && q == "\"" { escaped = true } else if ch == q { quote = nil }
                continue
            }
            if ch == "\"" || ch == "'" { quote = ch; current.append(ch); continue }
            if ch == ";" || ch == "\n" {
                out.append(current)
                current = ""
                continue
            }
            current.append(ch)
        }
        out.append(current)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

import Foundation
