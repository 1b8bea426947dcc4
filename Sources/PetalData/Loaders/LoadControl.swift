import Foundation
import Synchronization

/// Progress and cancellation for long work (loading a file, fitting a model), shared between the worker
/// threads and whoever started it (a REPL's Ctrl-C handler, the workbench's progress bar).
public final class LoadControl: Sendable {
    private let cancelled = Atomic<Bool>(false)
    private let done = Atomic<Int>(0)
    /// The total amount of work (bytes of the file), once known.
    private let total = Atomic<Int>(0)

    public init() {}

    /// Asks the load to stop; it ends with a "cancelled" error at its next check.
    public func cancel() { cancelled.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Bytes processed so far and in all, for a progress bar.
    public var progress: (done: Int, total: Int) { (done.load(ordering: .relaxed), total.load(ordering: .relaxed)) }

    /// The fraction done, 0…1.
    public var fraction: Double {
        let p = progress
        return p.total > 0 ? min(1, Double(p.done) / Double(p.total)) : 0
    }

    /// Starts (or restarts, when the reader parses again) the count of work done.
    public func setTotal(_ n: Int) {
        total.store(n, ordering: .relaxed)
        done.store(0, ordering: .relaxed)
    }
    public func advance(by n: Int) { done.add(n, ordering: .relaxed) }

    private let notesStore = Mutex<[String]>([])
    /// Says something the user should read after the work ends (e.g. "stopped by Ctrl-C; the model so far is
    /// kept"): work that can stop early and still give a result leaves a note instead of throwing.
    public func note(_ message: String) { notesStore.withLock { $0.append(message) } }
    /// The notes left so far.
    public var notes: [String] { notesStore.withLock { $0 } }
}
