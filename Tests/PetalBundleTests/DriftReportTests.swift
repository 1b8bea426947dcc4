import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// Drift statistics: the χ² tail, PSI, the KS statistic against the stored percentiles, and the statuses.
@Suite struct DriftReportTests {
    @Test func chiSquareTailMatchesTables() {
        #expect(abs(ChiSquare.survival(3.841458820694124, degrees: 1) - 0.05) < 1e-9)
        #expect(abs(ChiSquare.survival(16.918977604620448, degrees: 9) - 0.05) < 1e-9)
        #expect(abs(ChiSquare.survival(4, degrees: 2) - exp(-2)) < 1e-12)
        #expect(abs(ChiSquare.survival(40, degrees: 9) - 7.4e-6) < 1e-6)
        #expect(ChiSquare.survival(0, degrees: 3) == 1)
    }

    @Test func kolmogorovTail() {
        // Q_KS(1.36) ≈ 0.0494, Q_KS(1.63) ≈ 0.0098 (the usual 5% and 1% critical values).
        #expect(abs(DriftReport.kolmogorovQ(1.36) - 0.0494) < 5e-4)
        #expect(abs(DriftReport.kolmogorovQ(1.63) - 0.0098) < 5e-4)
    }

    @Test func sameDistributionIsStableShiftedMoves() throws {
        var values: [Double] = []
        var rng = SplitMix64(seed: 3)
        for _ in 0..<2000 { values.append(Double(rng.next() % 10_000) / 100) }
        let profile = DriftProfile.numeric(values, nulls: 0)
        let field = InputField(name: "x", type: .number, dtype: "float", nullable: false, profile: profile)
        let manifest = BundleManifest(name: "m", task: .regression, target: "y", inputs: [field], outputs: [], classLabels: [], metrics: [:],
                                      sourceRun: nil, trainingRows: 2000, onnx: nil, files: [:])
        let same = try Frame(columns: [Column(name: "x", storage: .float(Array(values.prefix(500))))])
        let shifted = try Frame(columns: [Column(name: "x", storage: .float(values.prefix(500).map { $0 + 20 }))])
        let a = try DriftReport.compare(manifest, with: same).columns[0]
        #expect(a.status == "stable" && a.psi < 0.1 && (a.ks ?? 1) < 0.05, "\(a)")
        let b = try DriftReport.compare(manifest, with: shifted).columns[0]
        #expect(b.status == "moved" && b.psi > 0.25 && (b.pValue ?? 1) < 0.001, "\(b)")
        #expect(try DriftReport.compare(manifest, with: same).moved.isEmpty)
        // Seven rows (a few requests) cannot tell: the column says how many rows drift needs before it judges.
        let few = try DriftReport.compare(manifest, with: try Frame(columns: [Column(name: "x", storage: .float(Array(values.prefix(7))))]))
        #expect(few.columns[0].status == "too few" && few.moved.isEmpty, "\(few.columns[0])")
        #expect(few.rowsNote == "drift judges a column from 100 rows; 7 so far")
        #expect(try DriftReport.compare(manifest, with: same).rowsNote == nil)
        let missing = try Frame(columns: [Column(name: "z", storage: .float([1]))])
        #expect(throws: BundleInputError.self) { try DriftReport.compare(manifest, with: missing) }
    }

    @Test func tiedValuesAreNotAShift() throws {
        // A year column: three values, many rows each. The same mix must give D ≈ 0.
        let years = (0..<300).map { Double(2007 + $0 % 3) }
        let profile = DriftProfile.numeric(years, nulls: 0)
        let (d, p) = DriftReport.ks(Array(years.prefix(99)), profile: profile, trainingRows: 300)
        #expect(d < 0.02 && p > 0.5, "D \(d), p \(p)")
    }
}
