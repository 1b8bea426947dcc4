import Foundation
import PetalData

/// An argument written as a path (`bundles/iris`, `./data.csv`, `~/x`): when it does not exist, commands say so
/// instead of trying it as a pipeline or a registered model and answering about those.
public enum PathArgument {
    /// True for text that reads as a path: it has a `/`, or starts with `.` or `~`.
    public static func looksLikePath(_ text: String) -> Bool {
        text.contains("/") || text.hasPrefix(".") || text.hasPrefix("~")
    }

    /// True when `path` exists (after `~` expansion).
    public static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: (path as NSString).expandingTildeInPath)
    }

    /// "bundles/iri does not exist", with the nearest name in its folder when one is close (`bundles/iris`).
    /// - Parameter what: what was expected there ("bundle folder", "file").
    public static func missing(_ path: String, what: String) -> PetalError {
        let expanded = (path as NSString).expandingTildeInPath
        let folder = (expanded as NSString).deletingLastPathComponent
        let name = (expanded as NSString).lastPathComponent
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        let near = listed.filter { !$0.hasPrefix(".") }.map { ($0, Levenshtein.distance($0, name)) }
            .filter { $0.1 <= max(2, name.count / 3) }.min { $0.1 < $1.1 }?.0
        let shown = (path as NSString).deletingLastPathComponent
        let hint = near.map { "did you mean \(shown.isEmpty ? $0 : (shown as NSString).appendingPathComponent($0))?" }
            ?? (FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder)
                ? "check the name; \(folder.isEmpty ? "this folder" : shown) has no \(name)"
                : "\(shown) does not exist either; paths are relative to \(FileManager.default.currentDirectoryPath)")
        return PetalError("no \(what) \(path): it does not exist", hint: hint)
    }
}
