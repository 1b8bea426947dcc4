import Foundation
import Logging
import PetalBundle
import Synchronization

/// The model a server is serving right now. Requests read it once when they start and keep that reference
/// to the end, so swapping in a new model never disturbs a request in flight (the old one is freed when the
/// last request using it finishes).
public final class ModelSlot: Sendable {
    private let state: Mutex<PreparedModel>

    public init(_ model: PreparedModel) { state = Mutex(model) }

    /// The model new requests use.
    public var current: PreparedModel { state.withLock { $0 } }

    /// Puts `model` in place for every later request.
    public func swap(to model: PreparedModel) { state.withLock { $0 = model } }
}

/// Polls a `ModelSource` and swaps a newly verified model into the slot when its fingerprint changes.
/// A model that fails to load (a half-written bundle) is logged once and retried at the next poll; the old model
/// keeps serving meanwhile.
final class ModelWatcher: Sendable {
    let source: any ModelSource
    let slot: ModelSlot
    let metrics: ServeMetrics
    let logger: Logger
    let maxBodyBytes: Int
    let interval: Duration
    private let state: Mutex<(served: String?, failed: String?)>

    init(source: any ModelSource, slot: ModelSlot, metrics: ServeMetrics, logger: Logger, maxBodyBytes: Int,
         interval: Duration, servedFingerprint: String?) {
        self.source = source; self.slot = slot; self.metrics = metrics; self.logger = logger
        self.maxBodyBytes = maxBodyBytes; self.interval = interval
        state = Mutex((servedFingerprint, nil))
    }

    /// Polls until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            check()
        }
    }

    /// One poll: reload when the fingerprint moved. Returns true when a new model was swapped in.
    @discardableResult
    func check() -> Bool {
        guard let now = source.fingerprint() else { return false }
        let (served, failed) = state.withLock { ($0.served, $0.failed) }
        guard now != served else { return false }
        do {
            let model = try source.load()
            // The files may have moved again while loading; the next poll sees that and loads again.
            slot.swap(to: PreparedModel(model, maxBodyBytes: maxBodyBytes))
            state.withLock { $0 = (now, nil) }
            metrics.recordReload(ok: true)
            logger.info("reloaded \(source.location): version \(model.description.version)")
            return true
        } catch {
            if failed != now {
                metrics.recordReload(ok: false)
                logger.warning("\(source.location) changed but does not load; still serving the previous model: \(error)")
                state.withLock { $0.failed = now }
            }
            return false
        }
    }
}
