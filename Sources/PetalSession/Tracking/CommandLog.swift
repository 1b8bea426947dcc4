import PetalData

/// The session's successful commands with the data sets and pipelines each one defined and used, so a run can
/// record the commands that produced its data and pipeline (`open …`, `filter …`, `pipeline …`, `fit …`) and
/// `replay` can run them again.
public struct CommandLog: Sendable {
    struct Entry: Sendable {
        var input: String
        var defines: Set<String>
        var uses: Set<String>
    }

    private(set) var entries: [Entry] = []
    /// Bumped whenever a data set or pipeline is stored.
    private(set) var revision = 0
    private var changed: [String: Int] = [:]

    /// Notes that data set `name` was stored (called by `Session.store`).
    mutating func defined(dataset name: String) { revision += 1; changed["d:" + name] = revision }
    /// Notes that pipeline `name` was stored.
    mutating func defined(pipeline name: String) { revision += 1; changed["p:" + name] = revision }

    /// Records a command that just succeeded; `since` is the revision before it ran and `uses` the names its words
    /// gave that existed before it ran. Commands that stored nothing (describe, runs, …) cannot be part of a lineage
    /// and are not kept.
    mutating func record(_ input: String, uses: Set<String>, since: Int) {
        let defines = Set(changed.filter { $0.value > since }.keys)
        guard !defines.isEmpty else { return }
        entries.append(Entry(input: input, defines: defines, uses: uses))
    }

    /// The commands that built `datasets` and `pipelines`, oldest first: walking back, a command is kept when it
    /// defined something still needed; what it used becomes needed in turn.
    /// - Returns: the commands, and the names no logged command defined (data stored without a command).
    func lineage(datasets: [String], pipelines: [String]) -> (commands: [String], unresolved: [String]) {
        var needed = Set(datasets.map { "d:" + $0 } + pipelines.map { "p:" + $0 })
        var kept: [String] = []
        for entry in entries.reversed() where !entry.defines.isDisjoint(with: needed) {
            kept.append(entry.input)
            needed.subtract(entry.defines)
            needed.formUnion(entry.uses)
        }
        return (kept.reversed(), needed.map { String($0.dropFirst(2)) }.sorted())
    }

    /// The data sets and pipelines a command's words name (`iris`, `iris.petal_length`, `p`).
    static func names(in tokens: ArraySlice<Token>, session: Session) -> Set<String> {
        var out: Set<String> = []
        func note(_ word: String) {
            if session.pipelines.contains(where: { $0.name == word }) { out.insert("p:" + word) }
            for d in session.datasets where d.name == word || word.hasPrefix(d.name + ".") { out.insert("d:" + d.name) }
        }
        for t in tokens {
            switch t {
            case .word(let w, _): note(w)
            case .option(_, let v): note(v)
            case .equals, .pipe: break
            }
        }
        return out
    }
}
