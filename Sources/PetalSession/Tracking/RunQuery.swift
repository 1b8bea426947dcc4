import Foundation
import PetalData
import PetalTracking

/// The parts of `runs [all|deleted] [experiment=NAME] [where CONDITION] [sort=KEY] [limit=N] [export to FILE]`.
struct RunQuery {
    var visibility: TrackingStore.Visibility = .live
    /// nil: the current experiment; "*": every experiment.
    var experiment: String?
    var condition: String?
    /// Where the condition starts in the command line (1-based column), to point at a bad token.
    var conditionColumn = 0
    var sort: String?
    var descending = true
    var limit = 50
    var exportPath: String?

    static let sortOption = CommandOption("sort", placeholder: "KEY",
                                          help: "ascending by an attribute, params.NAME or metrics.NAME[.min|.max]; sort=-KEY descending")
    static let limitOption = CommandOption("limit", .integer(1...1_000_000), default: "50", help: "rows shown (--json and export always give every run)")
    static let experimentOption = CommandOption("experiment", placeholder: "NAME", help: "another experiment's runs; experiment=* for every experiment")
    /// `runs`' options, also where they may follow a `where` condition.
    static let options = [sortOption, limitOption, experimentOption]

    /// Parses the text after the verb; `verbLength` is the command's verb plus one space, for error columns.
    init(_ raw: String, verbLength: Int, syntax: String) throws {
        var head = raw
        var tail = ""
        if let range = RunQuery.whereKeyword(in: raw) {
            head = String(raw[..<range.lowerBound])
            tail = String(raw[range.upperBound...])
            // Options and `export to FILE` after the condition.
            while true {
                let trimmed = tail.trimmingCharacters(in: .whitespaces)
                if let m = trimmed.range(of: #"\s+export\s+to\s+("[^"]*"|\S+)$"#, options: [.regularExpression, .caseInsensitive]) {
                    head += " " + trimmed[m].trimmingCharacters(in: .whitespaces)
                    tail = String(trimmed[..<m.lowerBound]); continue
                }
                if let m = trimmed.range(of: #"\s+("# + CommandOption.names(RunQuery.options).joined(separator: "|") + #")=("[^"]*"|\S+)$"#,
                                         options: [.regularExpression, .caseInsensitive]) {
                    head += " " + trimmed[m].trimmingCharacters(in: .whitespaces)
                    tail = String(trimmed[..<m.lowerBound]); continue
                }
                break
            }
            let leading = tail.prefix { $0 == " " || $0 == "\t" }.count
            condition = tail.trimmingCharacters(in: .whitespaces)
            conditionColumn = verbLength + raw.distance(from: raw.startIndex, to: range.upperBound) + leading + 1
            guard condition?.isEmpty == false else { throw PetalError("runs where needs a condition", hint: "e.g. runs where metrics.accuracy > 0.9") }
        }
        let args = try Arguments(tokens: [.word("runs", quoted: false)] + Tokenizer.tokens(head))
        try args.checkOptions(RunQuery.options, syntax: syntax)
        var words = args.positional.map { $0 }
        if let e = words.firstIndex(where: { $0.lowercased() == "export" }) {
            guard words.count > e + 2, words[e + 1].lowercased() == "to" else {
                throw PetalError("export needs to FILE", hint: "e.g. runs export to runs.csv")
            }
            exportPath = words[e + 2]
            words.removeSubrange(e...(e + 2))
        }
        for w in words {
            switch w.lowercased() {
            case "all": visibility = .all
            case "deleted": visibility = .deleted
            default: throw PetalError("runs: unexpected \"\(w)\"", hint: "usage: \(syntax)")
            }
        }
        experiment = args.text(RunQuery.experimentOption)
        limit = try args.int(RunQuery.limitOption)
        if var s = args.text(RunQuery.sortOption) {
            if s.lowercased().hasSuffix(" asc") { descending = false; s = String(s.dropLast(4)) }
            else if s.lowercased().hasSuffix(" desc") { s = String(s.dropLast(5)) }
            else if s.hasPrefix("-") { s = String(s.dropFirst()) }
            else { descending = false }
            sort = s.trimmingCharacters(in: .whitespaces)
        }
    }

    /// The standalone word `where` outside quotes.
    static func whereKeyword(in text: String) -> Range<String.Index>? {
        var quote: Character?
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == "w" || c == "W" {
                let end = text.index(i, offsetBy: 5, limitedBy: text.endIndex) ?? text.endIndex
                let before = i == text.startIndex ? " " : text[text.index(before: i)]
                if text[i..<end].lowercased() == "where", before == " " || before == "\t", end == text.endIndex || text[end] == " " || text[end] == "\t" {
                    return i..<end
                }
            }
            i = text.index(after: i)
        }
        return nil
    }

    /// The matching runs, sorted (newest first unless `sort=` says otherwise).
    func run(on store: TrackingStore, experiment current: String) throws -> [RunSummary] {
        let keys = try store.knownKeys()
        var filter: RunFilter?
        if let condition {
            do { filter = try RunFilterParser.parse(condition, keys: keys) } catch {
                let column = conditionColumn + error.column - 1
                let caret = String(repeating: " ", count: max(0, error.column - 1)) + "^"
                throw PetalError(error.message.replacingOccurrences(of: "at column \(error.column)", with: "at column \(column)"),
                                hint: "  " + condition + "\n    " + caret + (error.hint.map { "\n  " + $0 } ?? ""))
            }
        }
        let scope = experiment == "*" ? nil : (experiment ?? current)
        var runs = try store.runs(where: filter, experiment: scope, visibility: visibility)
        if let sort {
            guard let field = RunField.resolve(sort, keys: keys) else {
                throw PetalError("cannot sort by \"\(sort)\": no such attribute, param or metric",
                                hint: "e.g. sort=-accuracy (highest first), sort=params.knn.n_neighbors, sort=id")
            }
            runs = RunSort.sorted(runs, by: field, descending: descending)
        } else {
            runs.reverse()
        }
        return runs
    }
}

/// Sorting runs by any field; runs without a value come last either way.
enum RunSort {
    static func sorted(_ runs: [RunSummary], by field: RunField, descending: Bool) -> [RunSummary] {
        let keyed = runs.map { ($0, value(of: field, in: $0)) }
        return keyed.sorted { a, b in
            switch (a.1, b.1) {
            case (nil, nil): return a.0.id < b.0.id
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                if x == y { return a.0.id < b.0.id }
                return descending ? y < x : x < y
            }
        }.map(\.0)
    }

    /// A sortable value: numbers before text, numbers by value.
    enum Key: Comparable {
        case number(Double)
        case text(String)
    }

    static func value(of field: RunField, in r: RunSummary) -> Key? {
        func text(_ s: String?) -> Key? { s.map { Double($0).map(Key.number) ?? .text($0) } }
        switch field {
        case .param(let k): return text(r.params[k])
        case .tag(let k): return text(r.tags[k])
        case .metric(let k, let agg): return r.metrics[k]?.value(agg).map(Key.number)
        case .attribute(let a):
            switch a {
            case "id": return .number(Double(r.id))
            case "experiment": return .text(r.experiment)
            case "status": return .text(r.status.rawValue)
            case "kind": return .text(r.kind)
            case "pipeline": return text(r.pipelineName)
            case "steps": return text(r.pipeline)
            case "dataset": return text(r.dataset)
            case "seed": return r.seed.map { .number(Double($0)) }
            case "fingerprint": return text(r.fingerprint)
            case "note": return r.note.isEmpty ? nil : .text(r.note)
            case "started": return .number(r.started)
            case "ended": return r.ended.map(Key.number)
            default: return r.duration.map(Key.number)
            }
        }
    }
}
