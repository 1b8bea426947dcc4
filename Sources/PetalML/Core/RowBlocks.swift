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
}
