/// A map for the handful of params, tags or metrics of one run: entries in an array, found by a linear scan.
/// Listing 10,000 runs builds 30,000 of these; a Dictionary each (hashing, growth) costs more than the reads.
public struct SmallMap<Value: Sendable>: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: Value)
    private var entries: [Element] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, Value)...) {
        for (k, v) in elements { self[k] = v }
    }

    public subscript(key: String) -> Value? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public var keys: [String] { entries.map(\.key) }
    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public mutating func reserveCapacity(_ n: Int) { entries.reserveCapacity(n) }
    public func makeIterator() -> IndexingIterator<[Element]> { entries.makeIterator() }
}

extension SmallMap: Equatable where Value: Equatable {
    /// Equal when they hold the same keys with equal values, in any order.
    public static func == (a: SmallMap, b: SmallMap) -> Bool {
        a.count == b.count && a.entries.allSatisfy { b[$0.key] == $0.value }
    }
}
