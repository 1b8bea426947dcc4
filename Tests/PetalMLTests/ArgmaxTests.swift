import PetalData
import PetalML
import Testing

/// The one argmax: ties go to the first position, as `numpy.argmax` and scikit-learn's `predict` do
/// (`np.argmax([0.2, 0.4, 0.4])` is 1, `np.argmax([3, 3])` is 0).
@Suite struct ArgmaxTests {
    @Test func theFirstMaximumWins() {
        #expect([0.2, 0.4, 0.4].argmax() == 1)
        #expect([3, 3].argmax() == 0)
        #expect([1, 5, 2, 5, 5].argmax() == 1)
        #expect([-2.0, -1.0, -3.0].argmax() == 1)
        #expect([7].argmax() == 0)
        #expect([Int]().argmax() == 0)
    }

    @Test func slicesCountFromTheirStart() {
        let values = [9.0, 9.0, 0.1, 0.7, 0.2]
        #expect(values[2...].argmax() == 1)
    }

    @Test func nanNeverWinsAComparison() {
        #expect([Double.nan, 1, 2].argmax() == 0)
        #expect([1, Double.nan, 2].argmax() == 2)
    }

    @Test func matrixRowsUseTheSameRule() {
        let m = Matrix(rows: 3, columns: 3, values: [0.5, 0.5, 0, 0.1, 0.2, 0.7, 0.3, 0.3, 0.3])
        #expect((0..<3).map { m.argmax(row: $0) } == [0, 2, 0])
        #expect(Matrix(rows: 2, columns: 0, values: []).argmax(row: 1) == 0)
    }
}
