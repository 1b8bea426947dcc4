import Foundation
@testable import PetalSession
import PetalTracking

/// A session with iris open and a scratch tracking store with a counting clock.
func trackedIrisSession() -> Session {
    let folder = NSTemporaryDirectory() + "petal-session-test-\(getpid())-\(UUID().uuidString)"
    let s = Session(width: 100, trackingFolder: folder, clock: .counting())
    _ = s.execute("open \(Repo.path("samples/iris.csv")) as iris")
    return s
}

/// Runs commands that must succeed, returning the last execution.
@discardableResult
func mustRun(_ s: Session, _ script: String) -> Execution {
    var last: Execution?
    for e in s.executeScript(script) {
        if let error = e.error { fatalError("\(e.input): \(error)") }
        last = e
    }
    guard let last else { fatalError("no commands in \(script)") }
    return last
}
