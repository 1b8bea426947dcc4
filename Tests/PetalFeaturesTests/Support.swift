import Foundation
import PetalData
@testable import PetalFeatures

/// A new empty folder for one test's store.
func scratchFolder(_ label: String = "features") -> String {
    let path = NSTemporaryDirectory() + "petal-features-test-\(label)-\(getpid())-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A clock that reads 1,000, 1,001, … seconds.
final class StepClock: @unchecked Sendable {
    var t: Double = 1_000
    func now() -> Double { defer { t += 1 }; return t }
}

/// A store in a new folder with a counting clock.
func newStore() throws -> FeatureStore {
    let clock = StepClock()
    return FeatureStore(storage: try SQLiteFeatureStorage(folder: scratchFolder()), now: clock.now)
}

/// Microseconds of an ISO date.
func day(_ text: String) -> Int64 { DateParsing.parse(text)?.micros ?? -1 }

/// A frame of columns given as values.
func frame(_ columns: [(String, [Value])]) throws -> Frame {
    try Frame(columns: columns.map { Column.fromValues(name: $0.0, $0.1) })
}

/// A date column.
func dates(_ texts: [String]) -> [Value] { texts.map { .datetime(day($0), dateOnly: true) } }
