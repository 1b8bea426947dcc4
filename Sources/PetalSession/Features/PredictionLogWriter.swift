import Foundation
import PetalData
import PetalFeatures
import PetalBundle

/// Keeps a server's predictions in a feature group (`petal serve --log-to GROUP`) without slowing its answers:
/// `record` only appends the request to a queue under a lock; a thread of its own writes what has queued, every
/// `interval` seconds (or four times the last write's duration, when longer), as one insert per model (`PredictionLog`: inputs, prediction, model, predicted_at). When the
/// store falls behind by more than `maxQueuedRows`, new rows are dropped and counted rather than held without bound
/// (the answers are never delayed); `close` writes what is left.
public final class PredictionLogWriter: PredictionRecorder, @unchecked Sendable {
    private struct Pending {
        var inputs: Frame
        var predictions: Predictions
        var model: ModelDescription
        var time: Double
    }

    /// What has been written, dropped and failed so far.
    public struct Counts: Sendable, Equatable {
        public var written = 0, dropped = 0, failedInserts = 0
    }

    public let group: String
    private let key: [String]?
    private let openStore: () throws -> FeatureStore
    private let modelName: (ModelDescription) -> String
    private let report: (String) -> Void
    private let interval: Double
    private let maxQueuedRows: Int
    private let condition = NSCondition()
    private var queue: [Pending] = []
    private var queuedRows = 0
    private var closing = false
    private var finished = false
    private var counts = Counts()
    private var thread: Thread?

    /// - Parameters:
    ///   - group: the feature group (made on the first write: primary key `key`, or every input column).
    ///   - openStore: opens the feature store, on the writer's thread (an SQLite or PostgreSQL connection is used
    ///     from one thread).
    ///   - modelName: how the log names a model (`iris/2`, see `PredictionLog.modelName`).
    ///   - report: told about each write that failed (the server's log).
    public init(group: String, key: [String]?, openStore: @escaping () throws -> FeatureStore,
                modelName: @escaping (ModelDescription) -> String, interval: Double = 1, maxQueuedRows: Int = 200_000,
                report: @escaping (String) -> Void) {
        self.group = group; self.key = key; self.openStore = openStore; self.modelName = modelName
        self.interval = interval; self.maxQueuedRows = maxQueuedRows; self.report = report
        let thread = Thread { [weak self] in self?.loop() }
        thread.name = "petal prediction log"
        self.thread = thread
        thread.start()
    }

    public func record(inputs: Frame, predictions: Predictions, model: ModelDescription, time: Double) {
        condition.lock()
        defer { condition.unlock() }
        guard !closing else { return }
        guard queuedRows + inputs.rowCount <= maxQueuedRows else { counts.dropped += inputs.rowCount; return }
        queue.append(Pending(inputs: inputs, predictions: predictions, model: model, time: time))
        queuedRows += inputs.rowCount
    }

    /// Writes what is queued and stops the thread; returns what was written, dropped and failed in all.
    @discardableResult
    public func close() -> Counts {
        condition.lock()
        closing = true
        condition.broadcast()
        while !finished { condition.wait() }
        let out = counts
        condition.unlock()
        return out
    }

    public var written: Counts { condition.lock(); defer { condition.unlock() }; return counts }

    private func loop() {
        var store: FeatureStore?
        // Each write also recounts the group's statistics, which costs more as the log grows: waiting at least four
        // times as long as the last write took keeps the writer to a fifth of a core beside the server's requests.
        var lastWrite = 0.0
        while true {
            condition.lock()
            if !closing { _ = condition.wait(until: Date(timeIntervalSinceNow: max(interval, 4 * lastWrite))) }
            let batch = queue
            queue = []
            queuedRows = 0
            let last = closing
            condition.unlock()
            if !batch.isEmpty {
                let started = Date()
                defer { lastWrite = Date().timeIntervalSince(started) }
                do {
                    if store == nil { store = try openStore() }
                    if let store { try write(batch, to: store) }
                } catch {
                    report("could not log \(batch.map(\.inputs.rowCount).reduce(0, +)) predictions to feature group \(group): \(error)")
                    condition.lock(); counts.failedInserts += 1; condition.unlock()
                }
            }
            if last { break }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// One insert per run of requests answered by one model (a hot swap may change it, and with it the columns).
    private func write(_ batch: [Pending], to store: FeatureStore) throws {
        var start = 0
        while start < batch.count {
            var end = start + 1
            while end < batch.count && batch[end].model == batch[start].model { end += 1 }
            let model = batch[start].model
            let name = modelName(model)
            let frames = try batch[start..<end].map {
                try PredictionLog.frame(inputs: $0.inputs, target: "", predictions: PredictionLog.column($0.predictions, classes: model.classes),
                                        model: name, time: $0.time)
            }
            let rows = try PredictionLog.concatenating(frames)
            _ = try PredictionLog.insert(rows, into: group, key: key, store: store)
            condition.lock(); counts.written += rows.rowCount; condition.unlock()
            start = end
        }
    }
}
