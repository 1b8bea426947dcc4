import Foundation
import Testing
@testable import PetalML

/// Splits and random streams checked against numpy and scikit-learn (Tests/Fixtures/sklearn/generate.py).
@Suite struct TrainTestSplitTests {
    nonisolated(unsafe) static let fixture: [String: Any] = SklearnFixture.load("splits.json")

    @Test func randomStateMatchesNumpy() throws {
        let streams = try #require(Self.fixture["streams"] as? [[String: Any]])
        for s in streams {
            let seed = try #require(s["seed"] as? Int)
            var rng = NumpyRandomState(seed: UInt32(seed))
            let expected = try #require(s["uint32"] as? [Int])
            #expect((0..<expected.count).map { _ in Int(rng.nextUInt32()) } == expected, "seed \(seed)")
            var rng2 = NumpyRandomState(seed: UInt32(seed))
            #expect(rng2.permutation(1000) == s["permutation_1000"] as? [Int], "permutation seed \(seed)")
        }
    }

    /// `shuffle` keeps its own mask and reads the state's memory directly; it must draw exactly what numpy's
    /// `shuffle` draws, one `interval(i)` per position — checked on sizes around powers of two, across many twists.
    @Test func shuffleDrawsAsIntervalDoes() {
        for n in [2, 3, 4, 5, 63, 64, 65, 1023, 1024, 1025, 100_000] {
            var fast = NumpyRandomState(seed: UInt32(n)), slow = fast
            var a = Array(0..<n), b = a
            fast.shuffle(&a)
            for i in stride(from: n - 1, to: 0, by: -1) { b.swapAt(i, slow.interval(i)) }
            #expect(a == b, "n = \(n)")
            #expect(fast.nextUInt32() == slow.nextUInt32(), "the stream after shuffling \(n)")
        }
    }

    @Test func splitsMatchScikitLearn() throws {
        let splits = try #require(Self.fixture["splits"] as? [[String: Any]])
        #expect(splits.count == 27)
        for s in splits {
            let y = try #require(s["y"] as? [Int])
            let fraction = try #require(s["test"] as? Double)
            let seed = UInt32(try #require(s["seed"] as? Int))
            let testCount = try TrainTestSplit.testCount(rows: y.count, fraction: fraction)
            let random = TrainTestSplit.random(rows: y.count, testCount: testCount, seed: seed)
            #expect(random.train == s["train"] as? [Int], "\(s["labels"] ?? "") \(fraction) \(seed)")
            #expect(random.test == s["test_rows"] as? [Int])
            let stratified = try TrainTestSplit.stratified(labels: y, testCount: testCount, seed: seed)
            #expect(stratified.train == s["stratified_train"] as? [Int], "stratified \(s["labels"] ?? "") \(fraction) \(seed)")
            #expect(stratified.test == s["stratified_test"] as? [Int])
        }
    }

    @Test func badSplitsAreErrors() {
        #expect(throws: (any Error).self) { try TrainTestSplit.testCount(rows: 10, fraction: 1.5) }
        #expect(throws: (any Error).self) { try TrainTestSplit.stratified(labels: [0, 0, 0, 1], testCount: 1, seed: 1) }
    }
}
