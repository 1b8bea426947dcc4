/// numpy's legacy `RandomState` (MT19937 seeded with `init_genrand`), as far as scikit-learn's splitters use
/// it: `permutation`, `shuffle` and bounded integers. With the same seed it draws the same numbers as
/// `np.random.RandomState(seed)`, so Petal's splits are scikit-learn's splits.
public struct NumpyRandomState: Sendable {
    private var mt = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// `np.random.RandomState(seed)` for a seed in 0…2³²−1.
    public init(seed: UInt32) {
        mt[0] = seed
        for i in 1..<624 {
            mt[i] = 1_812_433_253 &* (mt[i - 1] ^ (mt[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    /// The next 32 random bits (MT19937 `genrand_int32`).
    public mutating func nextUInt32() -> UInt32 {
        var index = self.index
        let y = mt.withUnsafeMutableBufferPointer { Self.next($0, &index) }
        self.index = index
        return y
    }

    /// `nextUInt32` on the state's memory (no bounds or uniqueness checks per draw: `mt` holds 624 words).
    @inline(__always)
    private static func next(_ mt: UnsafeMutableBufferPointer<UInt32>, _ index: inout Int) -> UInt32 {
        if index >= 624 { twist(mt); index = 0 }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// MT19937's next 624 words in place: word i from words i, i + 1 and i + 397 (indices mod 624, the later ones
    /// already renewed), in three runs so no index needs the modulo.
    private static func twist(_ mt: UnsafeMutableBufferPointer<UInt32>) {
        @inline(__always) func word(_ i: Int, _ next: Int, _ far: Int) {
            let y = (mt[i] & 0x8000_0000) | (mt[next] & 0x7FFF_FFFF)
            mt[i] = mt[far] ^ (y >> 1) ^ (y & 1 != 0 ? 0x9908_B0DF : 0)
        }
        for i in 0..<227 { word(i, i + 1, i + 397) }
        for i in 227..<623 { word(i, i + 1, i - 227) }
        word(623, 0, 396)
    }

    /// A uniform integer in 0…max for `max` < 2³², as `interval` draws it, on the state's memory.
    @inline(__always)
    private static func interval32(_ max: UInt64, mask: UInt64, _ mt: UnsafeMutableBufferPointer<UInt32>, _ index: inout Int) -> Int {
        while true {
            let value = UInt64(next(mt, &index)) & mask
            if value <= max { return Int(value) }
        }
    }

    /// A uniform double in [0, 1), as `RandomState.random_sample` (53 bits from two draws).
    public mutating func randomSample() -> Double {
        let a = Double(nextUInt32() >> 5), b = Double(nextUInt32() >> 6)
        return (a * 67_108_864 + b) / 9_007_199_254_740_992
    }

    /// A uniform integer in 0…max by masked rejection, as numpy's legacy `random_interval`.
    public mutating func interval(_ max: Int) -> Int {
        if max <= 0 { return 0 }
        var mask = UInt64(max)
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32
        if max <= 0xFFFF_FFFF {
            var index = self.index
            let value = mt.withUnsafeMutableBufferPointer { Self.interval32(UInt64(max), mask: mask, $0, &index) }
            self.index = index
            return value
        }
        while true {
            let value = (UInt64(nextUInt32()) << 32 | UInt64(nextUInt32())) & mask
            if value <= UInt64(max) { return Int(value) }
        }
    }

    /// Shuffles in place, as `RandomState.shuffle` on a 1-d array.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        guard a.count - 1 <= 0xFFFF_FFFF else {
            for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, interval(i)) }
            return
        }
        var index = self.index
        a.withUnsafeMutableBufferPointer { a in
            mt.withUnsafeMutableBufferPointer { mt in
                // interval(i)'s mask, the smallest 2^k − 1 ≥ i, kept as i falls.
                var mask = UInt64(UInt32.max) >> UInt64(UInt32(a.count - 1).leadingZeroBitCount)
                for i in stride(from: a.count - 1, to: 0, by: -1) {
                    while mask >> 1 >= UInt64(i) { mask >>= 1 }
                    a.swapAt(i, Self.interval32(UInt64(i), mask: mask, mt, &index))
                }
            }
        }
        self.index = index
    }

    /// `RandomState.permutation(n)`.
    public mutating func permutation(_ n: Int) -> [Int] {
        guard n <= Int(Int32.max) else {
            var a = Array(0..<max(0, n))
            shuffle(&a)
            return a
        }
        // Shuffled as 4-byte indices (the same draws and swaps): the swaps land at random, and half the memory
        // keeps more of them in cache.
        var a = (0..<Int32(max(0, n))).map { $0 }
        shuffle(&a)
        return a.map(Int.init)
    }

    /// `RandomState.permutation(array)`: a shuffled copy.
    public mutating func permutation<T>(_ a: [T]) -> [T] {
        var copy = a
        shuffle(&copy)
        return copy
    }
}
