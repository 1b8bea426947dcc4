import Foundation
@testable import PetalSession
import PetalTestSupport

/// Repository paths (PetalTestSupport's one computation).
typealias Repo = RepoPaths

/// A session with iris open (from the repository's sample).
func irisSession() -> Session {
    let s = Session(width: 80)
    _ = s.execute("open \(Repo.path("samples/iris.csv")) as iris")
    return s
}
