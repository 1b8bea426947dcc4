import Foundation

/// Rows in blocks run on all cores when there are several. `run` uses fixed blocks of 8,192 (for sums across rows:
/// what a block adds up, and in which order, does not depend on the number of cores); `each` (work done row by row,
/// whatever the blocks) blocks of 1,024 rows or more, about four per core, so that the cores finish together (10,000
/// held-out rows were one block of 8,192 and one of 1,808: one core did four fifths).
enum RowBlocks {
    static let size = 8_192

    static func run(rows: Int, size: Int = size, _ body: @Sendable (Range<Int>) -> Void) {
        let blocks = (rows + size - 1) / size
        if blocks <= 1 { if rows > 0 { body(0..<rows) }; return }
        DispatchQueue.concurrentPerform(iterations: blocks) { b in body((b * size)..<min(rows, (b + 1) * size)) }
    }

    /// - Parameter atLeast: the fewest rows in a block (more where a row is little work).
    static func each(rows: Int, atLeast: Int = 1_024, _ body: @Sendable (Range<Int>) -> Void) {
        run(rows: rows, size: max(atLeast, rows / (4 * ProcessInfo.processInfo.activeProcessorCount) + 1), body)
    }

    /// `width` sums over the rows, each block of `size` rows adding into its own zeroed sums (`add`), the
    /// blocks' sums then added in block order.
    static func sums(rows n: Int, width: Int, _ add: @Sendable (Range<Int>, UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        let blocks = max(1, (n + size - 1) / size)
        var partial = [Double](repeating: 0, count: blocks * width)
        partial.withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else { return }
            let sink = RowSink(values: base)
            run(rows: n) { rows in add(rows, sink.values + (rows.lowerBound / size) * width) }
        }
        var out = [Double](repeating: 0, count: width)
        for b in 0..<blocks { for j in 0..<width { out[j] += partial[b * width + j] } }
        return out
    }
}
