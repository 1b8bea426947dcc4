import Foundation
import PetalData
import PetalTracking

/// Sends the runs queued for one MLflow server on a thread of its own, so a command never waits for the server:
/// `Tracker.runEnded` queues the run and wakes the sender, and the command returns. The thread has its own
/// connection to the store (a store is used from one thread at a time; SQLite's WAL lets both write).
///
/// - A pass sends every waiting run, oldest first, and ends at the first failure; the failure is kept for the next
///   command to say (`takeFailure`) and no pass starts for `Tracker.pauseAfterFailure`, so a server that is down
///   costs one attempt, not one per run.
/// - `runs sync` interrupts the sender between two runs and sends in the foreground with patient timeouts.
/// - A program waits for the sender when it ends, at most `Tracker.automaticBudget` (`Tracker.finishSending`); what
///   is left waits in the queue for the next run or `runs sync`. A run cut off mid-way is replaced, not duplicated,
///   on the next attempt (see `MLflowSync.send`).
final class RemoteSender: @unchecked Sendable {
    let sync: MLflowSync
    /// The sender's own connection; used only on its thread.
    private let store: TrackingStore
    private let condition = NSCondition()
    // All below are guarded by `condition`.
    private var wanted = false
    private var busy = false
    private var interrupting = false
    private var retired = false
    private var started = false
    private var failure: String?
    private var quietUntil = Date.distantPast

    init(sync: MLflowSync, store: TrackingStore) throws {
        self.sync = sync
        self.store = try store.anotherConnection()
    }

    /// Asks for a pass (unless one failed less than `Tracker.pauseAfterFailure` ago).
    /// - Returns: false when the sender is resting after a failure, so nothing will be tried now.
    @discardableResult
    func wake() -> Bool {
        condition.lock(); defer { condition.unlock() }
        guard Date() >= quietUntil else { return false }
        wanted = true
        if !started {
            started = true
            let thread = Thread { [self] in work() }
            thread.name = "petal-mlflow"
            thread.start()
        }
        condition.broadcast()
        return true
    }

    /// The last pass's failure, once: the next command's warning says it.
    func takeFailure() -> String? {
        condition.lock(); defer { condition.unlock() }
        defer { failure = nil }
        return failure
    }

    /// Waits until no pass is under way or asked for, or until `deadline`.
    /// - Returns: true when the sender is idle.
    @discardableResult
    func waitIdle(until deadline: Date) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while busy || wanted {
            if !condition.wait(until: deadline) { break }
        }
        return !(busy || wanted)
    }

    /// Ends the pass under way after its current run and waits for it (`runs sync` sends in the foreground then).
    /// Forgets a failure and its pause: the foreground attempt's outcome is what counts.
    func interrupt() {
        condition.lock()
        interrupting = true
        wanted = false
        while busy { condition.wait() }
        interrupting = false
        failure = nil
        quietUntil = .distantPast
        condition.unlock()
    }

    /// Stops the pass under way after its current run, without waiting (the program is ending).
    func stopSoon() {
        condition.lock(); interrupting = true; wanted = false; condition.broadcast(); condition.unlock()
    }

    /// Ends the thread (the session's server changed); a pass under way stops after its current run.
    func retire() {
        condition.lock(); retired = true; interrupting = true; wanted = false; condition.broadcast(); condition.unlock()
    }

    private func work() {
        while true {
            condition.lock()
            while !wanted && !retired { condition.wait() }
            if retired { condition.unlock(); return }
            wanted = false
            busy = true
            condition.unlock()
            let report = sync.sendWaiting(store, keepGoing: { [self] in
                condition.lock(); defer { condition.unlock() }
                return !interrupting
            })
            condition.lock()
            busy = false
            if let failed = report.failure {
                failure = failed.message
                quietUntil = Date() + Tracker.pauseAfterFailure
                wanted = false
            }
            condition.broadcast()
            condition.unlock()
        }
    }
}
