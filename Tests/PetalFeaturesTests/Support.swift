import Foundation
import Testing
import PetalData
import PetalTestSupport
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

/// The storage backends the behaviour tests run on: one test body, every backend, so they cannot drift.
/// PostgreSQL is a real server in a temporary folder (`PostgresServer`); without PostgreSQL installed only SQLite
/// runs, and `PostgresStorageTests.postgresIsTested` skips with the reason.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [Backend] { PostgresServer.unavailable == nil ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    /// A new, empty storage, and how to open the same store again (a second process, as it were).
    func newStorage() throws -> (storage: any FeatureStorage & JobStorage, reopen: () throws -> any FeatureStorage & JobStorage) {
        switch self {
        case .sqlite:
            let folder = scratchFolder()
            return (try SQLiteFeatureStorage(folder: folder), { try SQLiteFeatureStorage(folder: folder) })
        case .postgres:
            let server = try PostgresServer.require()
            let address = server.address(withPassword: true, database: try server.newDatabase(prefix: "fs"))
            return (try PostgresFeatureStorage(address: address), { try PostgresFeatureStorage(address: address) })
        }
    }
}

/// A store on `backend`, new and empty, with a counting clock.
func newStore(_ backend: Backend = .sqlite) throws -> FeatureStore {
    let clock = StepClock()
    return FeatureStore(storage: try backend.newStorage().storage, now: clock.now)
}

/// Microseconds of an ISO date.
func day(_ text: String) -> Int64 { DateParsing.parse(text)?.micros ?? -1 }

/// A frame of columns given as values.
func frame(_ columns: [(String, [Value])]) throws -> Frame {
    try Frame(columns: columns.map { Column.fromValues(name: $0.0, $0.1) })
}

/// A date column.
func dates(_ texts: [String]) -> [Value] { texts.map { .datetime(day($0), dateOnly: true) } }
