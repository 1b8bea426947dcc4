import PetalData

/// The registry of commands, in the order `help` lists them.
public enum Commands {
    public static let all: [CommandEntry] = [
        CommandEntry(OpenCommand.self), CommandEntry(DatasetsCommand.self),
        CommandEntry(DescribeCommand.self), CommandEntry(HeadCommand.self), CommandEntry(TailCommand.self),
        CommandEntry(SampleCommand.self), CommandEntry(CountsCommand.self), CommandEntry(UniqueCommand.self),
        CommandEntry(NullsCommand.self), CommandEntry(HistCommand.self), CommandEntry(CorrCommand.self),
        CommandEntry(SortCommand.self), CommandEntry(SelectCommand.self), CommandEntry(FilterCommand.self),
        CommandEntry(SaveCommand.self), CommandEntry(DropCommand.self), CommandEntry(HelpCommand.self),
    ]

    /// The command for a verb or alias.
    public static func find(_ verb: String) -> CommandEntry? {
        all.first { $0.name == verb || $0.aliases.contains(verb) }
    }

    /// Every verb and alias, for completion.
    public static var verbs: [String] { all.flatMap { [$0.name] + $0.aliases }.sorted() }

    /// "did you mean …?" for a mistyped verb.
    public static func suggestion(for verb: String) -> String {
        let best = verbs.map { ($0, EditDistance.between($0, verb)) }.min { $0.1 < $1.1 }
        if let best, best.1 <= 2 { return "did you mean \(best.0)? (help lists every command)" }
        return "help lists every command"
    }
}

/// Levenshtein distance, for suggestions.
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var prev = Array(0...y.count)
        for i in 1...x.count {
            var cur = [i] + [Int](repeating: 0, count: y.count)
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            prev = cur
        }
        return prev[y.count]
    }
}
