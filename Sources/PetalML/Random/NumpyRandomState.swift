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
        if index >= 624 { twist() }
        var y = mt[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    private mutating func twist() {
        for i in 0..<624 {
            let y = (mt[i] & 0x8000_0000) | (mt[(i + 1) % 624] & 0x7FFF_FFFF)
            var v = mt[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { v ^= 0x9908_B0DF }
            mt[i] = v
        }
        index = 0
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
            while true {
                let value = UInt64(nextUInt32()) & mask
                if value <= UInt64(max) { return Int(value) }
            }
        }
        while true {
            let value = (UInt64(nextUInt32()) << 32 | UInt64(nextUInt32())) & mask
            if value <= UInt64(max) { return Int(value) }
        }
    }

    /// Shuffles in place, as `RandomState.shuffle` on a 1-d array.
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = interval(i)
            a.swapAt(i, j)
        }
    }

    /// `RandomState.permutation(n)`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var a = Array(0..<max(0, n))
        shuffle(&a)
        return a
    }

    /// `RandomState.permutation(array)`: a shuffled copy.
    public mutating func permutation<T>(_ a: [T]) -> [T] {
        var copy = a
        shuffle(&copy)
        return copy
    }
}
