import Foundation

/// A value computed on a thread of its own while the caller goes on; `value` waits for it (as often as asked).
/// Used where two slow steps do not depend on each other: a run's data fingerprint while the model fits,
/// `petal predict`'s input file while the bundle is verified and decoded.
public final class Pending<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: T?

    /// - Parameter yielding: run `work` on a thread of its own whose scheduling priority is `yielding` steps below
    ///   the caller's (a nice value, 1–19): it takes the cores the caller's own work leaves idle and gives way
    ///   when that work wants them all. (A fingerprint hashed beside a fit took one of the two cores from the
    ///   fit's parallel row copies, which then waited on it.) The caller waiting in `value` leaves a core idle, so
    ///   the work then runs at full speed. nil: a thread of the shared pool, at the caller's priority.
    public init(yielding: Int32? = nil, _ work: @escaping @Sendable () -> T) {
        guard let yielding else {
            DispatchQueue.global().async { [self] in
                result = work()
                done.signal()
            }
            return
        }
        // A thread of its own: a lowered priority cannot be raised again without privileges, so it must not
        // go back to the pool.
        let thread = Thread { [self] in
            ThreadPriority.lower(by: yielding)
            result = work()
            done.signal()
        }
        thread.start()
    }

    /// The value (waits until it is computed).
    public var value: T {
        done.wait()
        defer { done.signal() }
        return result.unsafelyUnwrapped
    }
}

/// The calling thread's scheduling priority.
enum ThreadPriority {
    /// Lowers the calling thread's priority by `steps` nice levels; nothing where that is not possible. On Linux
    /// the nice value belongs to each thread, and `PRIO_PROCESS` with id 0 names the calling thread alone.
    static func lower(by steps: Int32) {
        #if os(Linux)
        errno = 0
        let now = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0 else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, min(19, now + max(0, steps)))
        #endif
    }
}
