import PetalData

/// scikit-learn's `KFold` and `StratifiedKFold` without shuffling: the same test folds, row for row.
public enum KFold {
    /// `KFold(n_splits)`: consecutive blocks, the first `n % k` folds one row larger.
    public static func plain(rows n: Int, folds k: Int) throws -> [Split] {
        try check(rows: n, folds: k)
        var splits: [Split] = []
        var start = 0
        for f in 0..<k {
            let size = n / k + (f < n % k ? 1 : 0)
            let test = Array(start..<(start + size))
            splits.append(Split(train: Array(0..<start) + Array((start + size)..<n), test: test))
            start += size
        }
        return splits
    }

    /// `StratifiedKFold(n_splits)` (`shuffle=False`): each fold keeps the class shares. `labels` are codes.
    public static func stratified(labels: [Int], folds k: Int) throws -> [Split] {
        let n = labels.count
        try check(rows: n, folds: k)
        // Classes encoded by order of first appearance, as scikit-learn does here.
        var order: [Int: Int] = [:]
        for l in labels where order[l] == nil { order[l] = order.count }
        let encoded = labels.map { order[$0] ?? 0 }
        let classes = order.count
        var counts = [Int](repeating: 0, count: classes)
        for e in encoded { counts[e] += 1 }
        if let largest = counts.max(), largest < k {
            throw PetalError("every class has fewer than \(k) rows, so \(k) stratified folds are impossible", hint: "use fewer folds=")
        }
        // allocation[f][c]: rows of class c in fold f, from the sorted codes dealt round-robin.
        let sorted = encoded.sorted()
        var allocation = [[Int]](repeating: [Int](repeating: 0, count: classes), count: k)
        for f in 0..<k { var i = f; while i < n { allocation[f][sorted[i]] += 1; i += k } }
        var testFold = [Int](repeating: 0, count: n)
        for c in 0..<classes {
            var foldsForClass: [Int] = []
            for f in 0..<k { foldsForClass += repeatElement(f, count: allocation[f][c]) }
            var next = 0
            for i in 0..<n where encoded[i] == c { testFold[i] = foldsForClass[next]; next += 1 }
        }
        return (0..<k).map { f in
            Split(train: (0..<n).filter { testFold[$0] != f }, test: (0..<n).filter { testFold[$0] == f })
        }
    }

    static func check(rows n: Int, folds k: Int) throws {
        guard k >= 2 else { throw PetalError("folds=\(k): cross-validation needs at least 2 folds", hint: "for example folds=5") }
        guard k <= n else { throw PetalError("folds=\(k) is more than the \(n) rows", hint: "use folds=\(min(5, n))") }
    }
}
