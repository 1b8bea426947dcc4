import Foundation
import PetalData

/// Row indices of a train/test split.
public struct Split: Sendable, Hashable, Codable {
    public var train: [Int]
    public var test: [Int]
    public init(train: [Int], test: [Int]) { self.train = train; self.test = test }
}

/// scikit-learn's `train_test_split`: the same sizes, the same seeds, the same rows in the same order.
public enum TrainTestSplit {
    /// The number of test rows for a fraction, as scikit-learn rounds it (`ceil(test_size × n)`).
    public static func testCount(rows n: Int, fraction: Double) throws -> Int {
        guard fraction >= 0, fraction < 1 else {
            throw PetalError("test=\(fraction) must be at least 0 and less than 1", hint: "for example test=0.2")
        }
        return Int((fraction * Double(n)).rounded(.up))
    }

    /// `ShuffleSplit`: a permutation of the rows; the first `testCount` are the test rows.
    public static func random(rows n: Int, testCount: Int, seed: UInt32) -> Split {
        var rng = NumpyRandomState(seed: seed)
        let p = rng.permutation(n)
        return Split(train: Array(p[testCount..<n]), test: Array(p[0..<testCount]))
    }

    /// `StratifiedShuffleSplit`: each class keeps its share in both parts. `labels` are class codes 0..<k.
    /// - Throws: when a class has fewer than two rows or the test part cannot hold every class.
    public static func stratified(labels: [Int], testCount: Int, seed: UInt32) throws -> Split {
        let n = labels.count
        let trainCount = n - testCount
        let classes = (labels.max() ?? -1) + 1
        var counts = [Int](repeating: 0, count: classes)
        for l in labels { counts[l] += 1 }
        if let smallest = counts.min(), smallest < 2 {
            throw PetalError("the smallest class has only \(smallest) row; a stratified split needs at least 2 per class",
                            hint: "use stratify=false, or drop the rare class")
        }
        guard trainCount >= classes, testCount >= classes else {
            throw PetalError("a stratified split of \(n) rows into \(trainCount) and \(testCount) cannot hold all \(classes) classes on both sides",
                            hint: "make test= larger or smaller")
        }
        // Rows of each class, in order (numpy's stable argsort of the codes).
        var byClass = [[Int]](repeating: [], count: classes)
        for (i, l) in labels.enumerated() { byClass[l].append(i) }
        var rng = NumpyRandomState(seed: seed)
        let nTrain = approximateMode(counts, draws: trainCount, rng: &rng)
        let remaining = zip(counts, nTrain).map { $0 - $1 }
        let nTest = approximateMode(remaining, draws: testCount, rng: &rng)
        var train: [Int] = [], test: [Int] = []
        for c in 0..<classes {
            let perm = rng.permutation(counts[c])
            let rows = perm.map { byClass[c][$0] }
            train += rows[0..<nTrain[c]]
            test += rows[nTrain[c]..<(nTrain[c] + nTest[c])]
        }
        train = rng.permutation(train)
        test = rng.permutation(test)
        return Split(train: train, test: test)
    }

    /// scikit-learn's `_approximate_mode`: the most likely class counts for `draws` draws without replacement,
    /// remainders broken at random (with `rng.choice(..., replace=False)`).
    static func approximateMode(_ counts: [Int], draws: Int, rng: inout NumpyRandomState) -> [Int] {
        let total = Double(counts.reduce(0, +))
        let continuous = counts.map { Double($0) / total * Double(draws) }
        var floored = continuous.map { $0.rounded(.down) }
        var needToAdd = draws - Int(floored.reduce(0, +))
        if needToAdd > 0 {
            let remainder = zip(continuous, floored).map { $0 - $1 }
            let values = Array(Set(remainder)).sorted(by: >)
            for value in values {
                let inds = remainder.indices.filter { remainder[$0] == value }
                let addNow = min(inds.count, needToAdd)
                // rng.choice(inds, size=addNow, replace=False) = permutation(len)[:addNow] taken from inds.
                let chosen = rng.permutation(inds.count).prefix(addNow).map { inds[$0] }
                for i in chosen { floored[i] += 1 }
                needToAdd -= addNow
                if needToAdd == 0 { break }
            }
        }
        return floored.map { Int($0) }
    }
}
