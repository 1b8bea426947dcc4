import Foundation
@testable import PetalSession

enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// A session with iris open (from the repository's sample).
func irisSession() -> Session {
    let s = Session(width: 80)
    _ = s.execute("open \(Repo.path("samples/iris.csv")) as iris")
    return s
}
