/// Order statistics with numpy's "linear" interpolation (pandas' default for `quantile` and `describe`).
public enum Quantiles {
    /// numpy's `_lerp`: `a + (b - a) * t`, computed from the upper end when `t >= 0.5` as numpy does.
    @inline(__always)
    public static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }

    /// The quantiles `qs` (each in 0...1) of `values` (no NaNs). Reorders `values` in place; O(n) expected.
    public static func compute(_ values: inout [Double], _ qs: [Double]) -> [Double] {
        let n = values.count
        guard n > 0 else { return qs.map { _ in .nan } }
        // Select the needed order statistics in increasing position so each selection narrows the next.
        var positions: [(q: Int, lo: Int, t: Double)] = []
        for (k, q) in qs.enumerated() {
            let pos = q * Double(n - 1)
            let lo = Int(pos.rounded(.down))
            positions.append((k, min(lo, n - 1), pos - Double(lo)))
        }
        var results = [Double](repeating: .nan, count: qs.count)
        values.withUnsafeMutableBufferPointer { buf in
            var ranks = Set<Int>()
            for p in positions { ranks.insert(p.lo); if p.lo + 1 < n { ranks.insert(p.lo + 1) } }
            selectAll(buf, ranks.sorted(), 0, n)
            for p in positions {
                let a = buf[p.lo]
                let b = p.lo + 1 < n ? buf[p.lo + 1] : a
                results[p.q] = p.t == 0 ? a : lerp(a, b, p.t)
            }
        }
        return results
    }

    /// Places the elements of rank `ranks` (sorted) at their sorted positions within `lo..<hi`.
    static func selectAll(_ a: UnsafeMutableBufferPointer<Double>, _ ranks: [Int], _ lo: Int, _ hi: Int) {
        guard let first = ranks.first, hi - lo > 1 else { return }
        if ranks.count == 1 { select(a, first, lo, hi); return }
        let mid = ranks[ranks.count / 2]
        select(a, mid, lo, hi)
        selectAll(a, Array(ranks[..<(ranks.count / 2)]), lo, mid)
        selectAll(a, Array(ranks[(ranks.count / 2 + 1)...]), mid + 1, hi)
    }

    /// Quickselect (Hoare partition, median of three): after it, `a[k]` is the k-th smallest of `lo..<hi`,
    /// smaller-or-equal elements before it and greater-or-equal after it.
    static func select(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int, _ lo0: Int, _ hi0: Int) {
        var lo = lo0, hi = hi0 - 1
        while hi > lo {
            if hi - lo < 16 {
                // Insertion sort for small ranges.
                var i = lo + 1
                while i <= hi {
                    let x = a[i]
                    var j = i - 1
                    while j >= lo && a[j] > x { a[j + 1] = a[j]; j -= 1 }
                    a[j + 1] = x
                    i += 1
                }
                return
            }
            let m = lo + (hi - lo) / 2
            if a[m] < a[lo] { a.swapAt(m, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[m] { a.swapAt(hi, m) }
            let pivot = a[m]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }
}

/// Sums and moments in the way numpy/pandas compute them, so results agree to the last few bits.
public enum Moments {
    /// numpy's pairwise summation (blocks of 128 summed with 8 accumulators, halves added recursively).
    public static func pairwiseSum(_ a: UnsafeBufferPointer<Double>) -> Double {
        pairwise(a, 0, a.count)
    }

    private static func pairwise(_ a: UnsafeBufferPointer<Double>, _ start: Int, _ n: Int) -> Double {
        if n < 8 {
            var res = 0.0
            for i in start..<(start + n) { res += a[i] }
            return res
        } else if n <= 128 {
            var r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3]
            var r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7]
            var i = 8
            while i < n - (n % 8) {
                r0 += a[start + i]; r1 += a[start + i + 1]; r2 += a[start + i + 2]; r3 += a[start + i + 3]
                r4 += a[start + i + 4]; r5 += a[start + i + 5]; r6 += a[start + i + 6]; r7 += a[start + i + 7]
                i += 8
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n { res += a[start + i]; i += 1 }
            return res
        } else {
            var n2 = n / 2
            n2 -= n2 % 8
            return pairwise(a, start, n2) + pairwise(a, start + n2, n - n2)
        }
    }

    /// Mean and sample standard deviation (ddof = 1), two-pass as pandas' `nanvar` does.
    public static func meanAndStd(_ values: [Double]) -> (mean: Double, std: Double) {
        let n = values.count
        guard n > 0 else { return (.nan, .nan) }
        return values.withUnsafeBufferPointer { buf in
            let mean = pairwiseSum(buf) / Double(n)
            guard n > 1 else { return (mean, .nan) }
            var squares = [Double](repeating: 0, count: n)
            for i in 0..<n { let d = buf[i] - mean; squares[i] = d * d }
            let ss = squares.withUnsafeBufferPointer { pairwiseSum($0) }
            return (mean, (ss / Double(n - 1)).squareRoot())
        }
    }
}
