import Foundation

/// A value computed on a thread of its own while the caller goes on; `value` waits for it (as often as asked).
/// Used where two slow steps do not depend on each other: a run's data fingerprint while the model fits,
/// `petal predict`'s input file while the bundle is verified and decoded.
public final class Pending<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: T?

    public init(_ work: @escaping @Sendable () -> T) {
        DispatchQueue.global().async { [self] in
            result = work()
            done.signal()
        }
    }

    /// The value (waits until it is computed).
    public var value: T {
        done.wait()
        defer { done.signal() }
        return result.unsafelyUnwrapped
    }
}
