import Foundation
import Testing
import PetalData
@testable import PetalML

/// Gaussian naive Bayes on many rows: the fit's sums in blocks on every core agree with one plain pass, and the
/// probabilities of rows scored in blocks are those of each row scored alone.
@Suite struct GaussianNBBlockTests {
    static func data(rows n: Int, columns d: Int, classes k: Int) -> (Matrix, [Int]) {
        var g = SplitMix64(seed: 7)
        let labels = (0..<n).map { _ in Int(g.next() % UInt64(k - 1)) }  // the last class has no rows
        let x = Matrix(rows: n, columns: d, values: (0..<(n * d)).map { i in Double(labels[i / d]) + Double(g.next() % 1000) / 250 - 2 })
        return (x, labels)
    }

    @Test func blockSumsAgreeWithOnePlainPass() throws {
        let (n, d, k) = (30_011, 5, 4)
        let (x, labels) = Self.data(rows: n, columns: d, classes: k)
        let fitted = try GaussianNB(ParameterValues()).fit(x, labels: labels, classCount: k)
        var maxVar = 0.0
        for j in 0..<d {
            let mean = (0..<n).map { x[$0, j] }.reduce(0, +) / Double(n)
            maxVar = max(maxVar, (0..<n).map { (x[$0, j] - mean) * (x[$0, j] - mean) }.reduce(0, +) / Double(n))
        }
        for c in 0..<k {
            let rows = (0..<n).filter { labels[$0] == c }
            #expect(fitted.prior[c] == Double(rows.count) / Double(n))
            for j in 0..<d {
                let mean = rows.isEmpty ? 0 : rows.map { x[$0, j] }.reduce(0, +) / Double(rows.count)
                let variance = rows.map { (x[$0, j] - mean) * (x[$0, j] - mean) }.reduce(0, +) / Double(max(1, rows.count)) + 1e-9 * maxVar
                #expect(abs(fitted.theta[c][j] - mean) <= 1e-12 * max(1, abs(mean)), "theta \(c) \(j)")
                #expect(abs(fitted.variance[c][j] - variance) <= 1e-12 * variance, "variance \(c) \(j)")
            }
        }
        #expect(throws: PetalError.self) { try GaussianNB(ParameterValues()).fit(x, labels: labels.map { $0 == 0 ? k : $0 }, classCount: k) }
        #expect(throws: PetalError.self) { try GaussianNB(ParameterValues()).fit(x, labels: Array(labels.dropLast()), classCount: k) }
    }

    @Test func rowsScoredInBlocksAreRowsScoredAlone() throws {
        let (x, labels) = Self.data(rows: 20_003, columns: 3, classes: 3)
        let fitted = try GaussianNB(ParameterValues()).fit(x, labels: labels, classCount: 3)
        let all = fitted.predictProba(x)
        for r in stride(from: 0, to: x.rows, by: 97) {
            let alone = fitted.predictProba(x.rows([r]))
            #expect(alone.values.map(\.bitPattern) == all.values[(r * 3)..<(r * 3 + 3)].map(\.bitPattern), "row \(r)")
        }
        #expect(fitted.predictProba(Matrix(rows: 0, columns: 3)).rows == 0)
    }
}
