import Dispatch
import Foundation

/// A time budget for a search (`automl time=`): seconds on the wall clock, or — where output must not depend
/// on the machine's speed (notebooks under `--check`) — on a virtual clock that advances a fixed amount per
/// fitted fold, so the same search runs the same trials everywhere.
public final class WorkBudget: @unchecked Sendable {
    public let seconds: Double
    /// Seconds one fold's fit counts on the virtual clock; nil on the wall clock.
    public let virtualSecondsPerFit: Double?
    private let started = DispatchTime.now().uptimeNanoseconds
    private let lock = NSLock()
    private var charged = 0.0

    public init(seconds: Double, virtualSecondsPerFit: Double? = nil) {
        self.seconds = seconds
        self.virtualSecondsPerFit = virtualSecondsPerFit
    }

    public var isVirtual: Bool { virtualSecondsPerFit != nil }

    /// Seconds used so far.
    public var elapsed: Double {
        if isVirtual { return lock.withLock { charged } }
        return Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    }

    /// What is left for new work. On the wall clock the last 5 % are kept back: work stops through its cancel
    /// checks a little late, and recording the last trial takes time too, so the search ends within its budget.
    public var remaining: Double { max(0, seconds * (isVirtual ? 1 : 0.95) - elapsed) }
    public var isSpent: Bool { remaining <= 0 }

    /// Counts `fits` fitted folds on the virtual clock (nothing on the wall clock, which counts itself).
    public func charge(fits: Int) {
        guard let per = virtualSecondsPerFit else { return }
        lock.withLock { charged += per * Double(fits) }
    }

    /// The cap for the next piece of work: what is left on the wall clock; none on the virtual clock (work is
    /// only started while budget remains, and its cost is known only after).
    public var cap: Double? { isVirtual ? nil : remaining }
}
