/// The one argmax of the project: predicted classes from probabilities, majority classes from counts, leaf and
/// one-vs-one votes, early-stopping checks. Ties go to the first (lowest) position, as numpy's and
/// scikit-learn's `argmax` (and libsvm's vote) do, so Petal's labels match theirs on equal scores.
extension Collection where Element: Comparable {
    /// The offset of the largest element, the first on ties; 0 for an empty collection. A NaN never wins a
    /// comparison, so it is skipped unless it comes first.
    public func argmax() -> Int {
        var best = 0, offset = 0
        var bestValue: Element?
        for v in self {
            if let b = bestValue { if v > b { best = offset; bestValue = v } } else { bestValue = v }
            offset += 1
        }
        return best
    }
}

extension Matrix {
    /// The column of row `r`'s largest value, the first on ties; 0 for a row of NaN or no columns.
    public func argmax(row r: Int) -> Int {
        values[(r * columns)..<((r + 1) * columns)].argmax()
    }
}
