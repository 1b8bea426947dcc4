import Foundation
import PetalData

/// Tab completion for the command line: verbs, data set names, `dataset.` + columns, options and paths.
public enum Completion {
    /// Candidates for the last word of `line` (the text before the cursor).
    public static func candidates(for line: String, in session: Session) -> [String] {
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let partial = line.hasSuffix(" ") || line.isEmpty ? "" : (words.popLast() ?? "")
        // The first word: a verb, or a setting typed alone (`tracking_uri=URL`).
        if words.isEmpty { return (Commands.verbs + SessionSettings.all.map { $0.name + "=" }).filter { $0.hasPrefix(partial) } }
        guard let command = Commands.find(words[0].lowercased()) else { return [] }
        let context = CompletionContext(session: session, previous: words, partial: partial)
        var out = command.complete(context)
        if !partial.contains(".") || partial.contains("=") { out += CommandOption.completions(command.options, partial: partial) }
        return Array(Set(out.filter { $0.hasPrefix(partial) })).sorted()
    }

    /// Data set names and `name.column` references.
    public static func datasetsAndColumns(_ context: CompletionContext) -> [String] {
        let partial = context.partial
        if let dot = partial.firstIndex(of: ".") {
            let name = String(partial[..<dot])
            guard let d = try? context.session.dataset(name) else { return [] }
            return d.frame.columnNames.map { "\(name).\($0)" }
        }
        return context.session.datasets.flatMap { [$0.name] }
    }

    /// File and folder names for a partial path (folders end in `/`).
    public static func paths(_ partial: String) -> [String] {
        let expanded = (partial as NSString).expandingTildeInPath
        let folder: String
        let prefix: String
        if partial.hasSuffix("/") { folder = expanded; prefix = "" } else {
            folder = (expanded as NSString).deletingLastPathComponent
            prefix = (expanded as NSString).lastPathComponent
        }
        let listFolder = folder.isEmpty ? "." : folder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: listFolder) else { return [] }
        let base = partial.hasSuffix("/") ? partial : String(partial.dropLast(prefix.count))
        return names.filter { $0.hasPrefix(prefix) && !$0.hasPrefix(".") }.sorted().map { name in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (listFolder as NSString).appendingPathComponent(name), isDirectory: &isDir)
            return base + name + (isDir.boolValue ? "/" : "")
        }
    }
}
