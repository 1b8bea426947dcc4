import Foundation

/// One result slot per work item, filled from `DispatchQueue.concurrentPerform` workers under a lock.
/// Shared by every parallel loop (CSV chunks, column merges, describe, forests, neighbour search).
public final class ConcurrentSlots<T>: @unchecked Sendable {
    private var items: [T?]
    private let lock = NSLock()

    public init(_ count: Int) { items = Array(repeating: nil, count: count) }

    public func set(_ index: Int, _ value: T) {
        lock.lock(); items[index] = value; lock.unlock()
    }

    /// The filled slots, in index order.
    public var values: [T] { lock.lock(); defer { lock.unlock() }; return items.compactMap { $0 } }

    /// Every slot, nil where no worker stored a value.
    public var slots: [T?] { lock.lock(); defer { lock.unlock() }; return items }
}
