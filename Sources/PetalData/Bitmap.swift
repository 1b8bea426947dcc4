/// A packed bit set, one bit per row, used as a column's validity mask (1 = value present, 0 = null).
public struct Bitmap: Sendable, Hashable {
    public private(set) var words: [UInt64]
    public private(set) var count: Int

    /// Creates a bitmap of `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        self.count = count
        let wordCount = (count + 63) >> 6
        words = [UInt64](repeating: value ? ~0 : 0, count: wordCount)
        if value { clearTail() }
    }

    /// Creates a bitmap from booleans.
    public init<S: Sequence>(_ bits: S) where S.Element == Bool {
        self.init(count: 0, value: false)
        for bit in bits { append(bit) }
    }

    public subscript(index: Int) -> Bool {
        get { (words[index >> 6] >> UInt64(index & 63)) & 1 == 1 }
        set {
            let mask: UInt64 = 1 << UInt64(index & 63)
            if newValue { words[index >> 6] |= mask } else { words[index >> 6] &= ~mask }
        }
    }

    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    /// Removes the last bit.
    public mutating func removeLast() {
        guard count > 0 else { return }
        count -= 1
        self[count] = false
        if count & 63 == 0 { words.removeLast() }
    }

    /// Appends all bits of another bitmap.
    public mutating func append(contentsOf other: Bitmap) {
        if count & 63 == 0 {
            words.append(contentsOf: other.words)
            count += other.count
            return
        }
        reserveCapacity(count + other.count)
        for i in 0..<other.count { append(other[i]) }
    }

    public mutating func reserveCapacity(_ n: Int) { words.reserveCapacity((n + 63) >> 6) }

    /// The number of set bits.
    public var nonzeroCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// True when every bit is set.
    public var isAllSet: Bool { nonzeroCount == count }

    private mutating func clearTail() {
        let extra = count & 63
        if extra != 0, !words.isEmpty { words[words.count - 1] &= (1 << UInt64(extra)) - 1 }
    }
}
