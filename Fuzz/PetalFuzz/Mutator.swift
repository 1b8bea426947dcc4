/// Seeded random mutations of a byte string (no coverage feedback): bit flips, interesting bytes, dictionary
/// tokens (some repeated thousands of times, for deep nesting), deletions, duplications, splices, truncation.
struct Mutator {
    var random: SplitMix
    let dictionary: [[UInt8]]
    let maxLength: Int

    static let interesting: [UInt8] = [0, 0xFF, 0x0D, 0x0A, 0x22, 0x27, 0x2C, 0x3B, 0x09, 0x20, 0x28, 0x29, 0x5B, 0x5D,
                                       0x7B, 0x7D, 0x5C, 0x3A, 0x2E, 0x2D, 0x30, 0x39, 0x65, 0xEF, 0xBB, 0xBF, 0xFE, 0xC3]

    /// A mutant of `input`, using `other` for splices.
    mutating func mutate(_ input: [UInt8], other: [UInt8]) -> [UInt8] {
        var out = input
        let rounds = 1 + random.below(4)
        for _ in 0..<rounds {
            switch random.below(10) {
            case 0 where !out.isEmpty:
                let i = random.below(out.count)
                out[i] ^= UInt8(1 << random.below(8))
            case 1 where !out.isEmpty:
                out[random.below(out.count)] = Mutator.interesting[random.below(Mutator.interesting.count)]
            case 2, 3:
                let token = dictionary.isEmpty ? [Mutator.interesting[random.below(Mutator.interesting.count)]] : dictionary[random.below(dictionary.count)]
                out.insert(contentsOf: token, at: random.below(out.count + 1))
            case 4 where !out.isEmpty:
                let i = random.below(out.count)
                let n = min(out.count - i, 1 + random.below(16))
                out.removeSubrange(i..<(i + n))
            case 5 where !out.isEmpty:
                let i = random.below(out.count)
                let n = min(out.count - i, 1 + random.below(64))
                out.insert(contentsOf: out[i..<(i + n)], at: random.below(out.count + 1))
            case 6 where !dictionary.isEmpty:
                // A token many times over: deep nesting, long chains, huge fields.
                let token = dictionary[random.below(dictionary.count)]
                // Mostly short runs; now and then one deep enough to overflow an unguarded recursion.
                let times = random.below(16) == 0 ? 20_000 : [10, 100, 1000][random.below(3)]
                var block: [UInt8] = []
                block.reserveCapacity(token.count * times)
                for _ in 0..<times { block += token }
                out.insert(contentsOf: block, at: random.below(out.count + 1))
            case 7 where !other.isEmpty:
                let cut = random.below(out.count + 1)
                let from = random.below(other.count)
                out = Array(out[..<cut]) + other[from...]
            case 8 where !out.isEmpty:
                out.removeLast(random.below(out.count))
            default:
                out.insert(UInt8(truncatingIfNeeded: random.next()), at: random.below(out.count + 1))
            }
        }
        if out.count > maxLength { out.removeLast(out.count - maxLength) }
        return out
    }
}

/// SplitMix64: a small seedable generator, so a run with the same seed makes the same inputs.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A number in 0..<n (n > 0).
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}
