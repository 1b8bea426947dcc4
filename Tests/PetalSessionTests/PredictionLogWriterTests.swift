import Foundation
import Testing
import PetalData
import PetalFeatures
import PetalBundle
@testable import PetalSession

/// The server's prediction log: `record` only queues (it returns at once while the store is slow), rows are written
/// in batches per model, a full queue drops and counts instead of waiting, and `close` writes what is left.
@Suite struct PredictionLogWriterTests {
    static let model = ModelDescription(name: "iris", version: "abc", inputs: [RequestField(name: "x", kind: .number, nullable: false)],
                                        classes: ["a", "b"], task: .classification)

    static func request(_ xs: [Double]) -> Frame {
        (try? Frame(columns: [Column(name: "x", storage: .float(xs))])) ?? .empty
    }

    /// A store in a new folder whose opening waits until `gate` is signalled (a slow disk or server).
    static func slowStore(_ gate: DispatchSemaphore) -> () throws -> FeatureStore {
        let folder = NSTemporaryDirectory() + "petal-logwriter-\(UUID().uuidString)"
        return {
            gate.wait()
            return FeatureStore(storage: try SQLiteFeatureStorage(folder: folder))
        }
    }

    @Test func recordingNeverWaitsForTheStoreAndCloseWritesEverything() throws {
        let gate = DispatchSemaphore(value: 0)
        let folder = NSTemporaryDirectory() + "petal-logwriter-\(UUID().uuidString)"
        let writer = PredictionLogWriter(group: "log", key: nil, openStore: {
            gate.wait()
            return FeatureStore(storage: try SQLiteFeatureStorage(folder: folder))
        }, modelName: { "\($0.name)/7" }, interval: 0.05, report: { _ in })
        let start = Date()
        for k in 0..<200 {
            writer.record(inputs: Self.request([Double(k), Double(k) + 0.5]), predictions: .classes(codes: [0, 1], probabilities: [1, 0, 0, 1]),
                          model: Self.model, time: 1_000 + Double(k))
        }
        // 200 requests queued while the store could not even be opened: none of them waited for it.
        #expect(Date().timeIntervalSince(start) < 1)
        gate.signal()
        let counts = writer.close()
        #expect(counts == PredictionLogWriter.Counts(written: 400, dropped: 0, failedInserts: 0))
        let store = FeatureStore(storage: try SQLiteFeatureStorage(folder: folder))
        let g = try store.group("log")
        #expect(g.statistics?.keys == 400 && g.primaryKey == ["x"] && g.eventTime == PredictionLog.timeColumn)
        let rows = try store.currentRows(of: g, asOf: nil).frame
        #expect(Set((0..<rows.rowCount).map { rows.column(named: "model")?[$0].plainText ?? "" }) == ["iris/7"])
        #expect(Set((0..<rows.rowCount).map { rows.column(named: "prediction")?[$0].plainText ?? "" }) == ["a", "b"])
    }

    @Test func aFullQueueDropsAndCountsAndFailuresAreReported() throws {
        let gate = DispatchSemaphore(value: 0)
        // A long interval: every record happens before the thread first takes the queue (close wakes it).
        let writer = PredictionLogWriter(group: "log", key: nil, openStore: Self.slowStore(gate), modelName: { $0.name },
                                         interval: 5, maxQueuedRows: 10, report: { _ in })
        for k in 0..<8 { writer.record(inputs: Self.request([Double(k), Double(k) + 0.5]), predictions: .values([1, 2]), model: Self.model, time: 1) }
        gate.signal()
        let counts = writer.close()
        #expect(counts == PredictionLogWriter.Counts(written: 10, dropped: 6, failedInserts: 0))
        let reports = Reports()
        let folder = NSTemporaryDirectory() + "petal-logwriter-\(UUID().uuidString)"
        let failing = PredictionLogWriter(group: "bad name", key: nil, openStore: { FeatureStore(storage: try SQLiteFeatureStorage(folder: folder)) },
                                          modelName: { $0.name }, interval: 0.05, report: { reports.add($0) })
        failing.record(inputs: Self.request([1]), predictions: .values([1]), model: Self.model, time: 1)
        #expect(failing.close().failedInserts == 1)
        #expect(reports.all.first?.contains("could not log 1 predictions to feature group bad name") == true)
    }
}

final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return lines }
}
