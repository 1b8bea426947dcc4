import Foundation
import PetalData

/// How far new data has moved from the training data, column by column, against the statistics in a bundle's
/// manifest.
///
/// - Numbers: the population stability index over the training deciles, and a two-sample Kolmogorov–Smirnov
///   test of the new values against the training distribution (its CDF rebuilt from the 101 stored
///   percentiles, so D is exact up to that interpolation; the p-value uses the asymptotic Kolmogorov
///   distribution with n·m/(n+m) effective rows).
/// - Text: the PSI over the training categories plus one bucket for categories never seen.
///
/// Thresholds (the usual PSI rule of thumb, plus a check that the sample is big enough to tell): PSI ≥ 0.25 with
/// a χ² p-value below 0.01 is `moved`; PSI ≥ 0.1 with p below 0.05, or ≥ 0.25 without significance, is `watch`;
/// else `stable`. A numeric column is also `moved` when the KS p-value is below 0.001 and D is at least 0.1
/// (a real shift, not one that only a huge sample can see). Bucket shares are smoothed with half a row each (see `psi`), so small
/// samples and empty buckets do not blow PSI up.
public struct DriftReport: Sendable {
    public struct ColumnDrift: Sendable {
        public var name: String
        public var type: InputField.Kind
        public var rows: Int
        public var psi: Double
        /// The chance of a PSI this large between two samples of one distribution (n·m/(n+m)·PSI ~ χ²(buckets − 1)).
        public var psiPValue: Double
        /// KS statistic and p-value (numbers only).
        public var ks: Double?
        public var pValue: Double?
        public var nullShare: Double
        public var trainingNullShare: Double
        /// `stable`, `watch` or `moved`.
        public var status: String
    }

    public static let psiWatch = 0.1
    public static let psiMoved = 0.25
    /// PSI must also be this unlikely by chance to say `moved` (small samples have large PSI by chance).
    public static let psiPValue = 0.01
    public static let ksPValue = 0.001
    public static let ksMinimumD = 0.1
    /// Below this many rows a column that has not clearly moved is `too few rows` rather than `watch` or
    /// `stable`: over ten buckets, the PSI of fewer rows is mostly chance (two samples of one distribution
    /// differ by about (buckets − 1)/rows, 0.09 at 100 rows).
    public static let minimumRows = 100
    public static let tooFewRows = "too few"

    public var columns: [ColumnDrift]
    public var trainingRows: Int

    /// The columns that moved.
    public var moved: [String] { columns.filter { $0.status == "moved" }.map(\.name) }

    /// "judges a column from 100 rows; 7 so far", when a column has too few rows to judge, else nil.
    public var rowsNote: String? {
        guard let fewest = columns.filter({ $0.status == DriftReport.tooFewRows }).map(\.rows).min() else { return nil }
        return "drift judges a column from \(DriftReport.minimumRows) rows; \(fewest) so far"
    }

    /// Compares `frame` with the training statistics of `manifest`.
    /// - Throws: `BundleInputError` when an input column is missing or has the wrong type.
    public static func compare(_ manifest: BundleManifest, with frame: Frame) throws -> DriftReport {
        var out: [ColumnDrift] = []
        for field in manifest.inputs {
            guard let column = frame.column(named: field.name) else {
                throw BundleInputError(field: field.name, expected: field.type.rawValue, message: "the data has no column \"\(field.name)\"")
            }
            let profile = field.profile
            switch field.type {
            case .number:
                guard let values = column.doubles(), column.type != .text else {
                    throw BundleInputError(field: field.name, expected: "number", message: "column \(field.name) is \(column.type.rawValue), but the model was trained on numbers")
                }
                let nulls = column.count - values.count
                let shares = DriftProfile.binShares(values, edges: profile.edges ?? [])
                let trained = Double(manifest.trainingRows) * (1 - profile.nullShare)
                let psi = psi(expected: profile.shares ?? [], rows: trained, actual: shares, rows: Double(values.count))
                let psiP = significance(psi, buckets: shares.count, rows: trained, Double(values.count))
                let (d, p) = ks(values, profile: profile, trainingRows: Int(trained.rounded()))
                let status = status(psi: psi, p: psiP, ksMoved: p < ksPValue && d >= ksMinimumD, rows: values.count)
                out.append(ColumnDrift(name: field.name, type: .number, rows: column.count, psi: psi, psiPValue: psiP, ks: d, pValue: p,
                                       nullShare: Double(nulls) / Double(max(1, column.count)), trainingNullShare: profile.nullShare, status: status))
            case .text:
                let (values, nulls) = column.categoryValues()
                let known = profile.categoryShares ?? [:]
                let categories = known.keys.sorted()
                var counts: [String: Int] = [:]
                var unseen = 0
                for v in values { if known[v] != nil { counts[v, default: 0] += 1 } else { unseen += 1 } }
                let n = Double(max(1, values.count))
                let trained = Double(manifest.trainingRows) * (1 - profile.nullShare)
                let psi = psi(expected: categories.map { known[$0] ?? 0 } + [0], rows: trained,
                              actual: categories.map { Double(counts[$0] ?? 0) / n } + [Double(unseen) / n], rows: Double(values.count))
                let psiP = significance(psi, buckets: categories.count + 1, rows: trained, Double(values.count))
                out.append(ColumnDrift(name: field.name, type: .text, rows: column.count, psi: psi, psiPValue: psiP, ks: nil, pValue: nil,
                                       nullShare: Double(nulls) / Double(max(1, column.count)), trainingNullShare: profile.nullShare,
                                       status: status(psi: psi, p: psiP, ksMoved: false, rows: values.count)))
            }
        }
        return DriftReport(columns: out, trainingRows: manifest.trainingRows)
    }

    /// `moved` (PSI ≥ 0.25 beyond chance, or the KS rule), `watch` (PSI ≥ 0.1 beyond chance, or ≥ 0.25 in a sample
    /// too small to tell), else `stable`.
    static func status(psi: Double, p: Double, ksMoved: Bool, rows: Int) -> String {
        if ksMoved || (psi >= psiMoved && p < psiPValue) { return "moved" }
        if rows < minimumRows { return tooFewRows }
        if psi >= psiMoved || (psi >= psiWatch && p < 0.05) { return "watch" }
        return "stable"
    }

    /// P(χ²(buckets − 1) ≥ n_e·PSI) with n_e = n·m/(n+m): how likely this PSI is between two samples of one
    /// distribution (PSI is the J-divergence, which times n_e is asymptotically χ²).
    static func significance(_ psi: Double, buckets: Int, rows m: Double, _ n: Double) -> Double {
        guard buckets > 1, m > 0, n > 0 else { return 1 }
        return ChiSquare.survival(psi * m * n / (m + n), degrees: Double(buckets - 1))
    }

    /// Σ (a − e)·ln(a / e) over buckets, each side's shares smoothed as (count + ½) / (rows + ½·buckets), so an
    /// empty bucket in a small sample adds a little, not ln(10⁴).
    static func psi(expected: [Double], rows m: Double, actual: [Double], rows n: Double) -> Double {
        let b = Double(max(1, expected.count))
        return zip(expected, actual).reduce(0) { sum, pair in
            let e = (pair.0 * m + 0.5) / (m + 0.5 * b), a = (pair.1 * n + 0.5) / (n + 0.5 * b)
            return sum + (a - e) * log(a / e)
        }
    }

    /// KS statistic of `values` against the training CDF, and its asymptotic p-value.
    static func ks(_ values: [Double], profile: DriftProfile, trainingRows: Int) -> (Double, Double) {
        let sorted = values.sorted()
        let n = sorted.count
        guard n > 0, trainingRows > 0, profile.percentiles?.isEmpty == false else { return (0, 1) }
        var d = 0.0
        var i = 0
        while i < n {
            var j = i
            while j < n && sorted[j] == sorted[i] { j += 1 }
            let right = profile.trainingCDF(sorted[i]), left = profile.trainingCDF(sorted[i], strict: true)
            d = max(d, abs(Double(j) / Double(n) - right), abs(Double(i) / Double(n) - left))
            i = j
        }
        let m = Double(trainingRows), ne = m * Double(n) / (m + Double(n))
        let lambda = (ne.squareRoot() + 0.12 + 0.11 / ne.squareRoot()) * d
        return (d, kolmogorovQ(lambda))
    }

    /// Q_KS(λ) = 2 Σ (−1)^(j−1) exp(−2 j² λ²), the Kolmogorov distribution's upper tail.
    static func kolmogorovQ(_ lambda: Double) -> Double {
        guard lambda > 0.2 else { return 1 }
        var sum = 0.0, sign = 1.0
        for j in 1...100 {
            let term = sign * exp(-2 * Double(j * j) * lambda * lambda)
            sum += term
            if abs(term) < 1e-12 { break }
            sign = -sign
        }
        return min(1, max(0, 2 * sum))
    }
}

/// The χ² distribution's upper tail, via the regularized incomplete gamma function Q(k/2, x/2)
/// (series below a + 1, Lentz's continued fraction above, as in Numerical Recipes' `gammq`).
enum ChiSquare {
    static func survival(_ x: Double, degrees k: Double) -> Double {
        guard x > 0 else { return 1 }
        let a = k / 2, z = x / 2
        let lnFront = a * log(z) - z - lgamma(a)
        if z < a + 1 {
            var sum = 1 / a, term = 1 / a, ap = a
            for _ in 0..<500 {
                ap += 1; term *= z / ap; sum += term
                if abs(term) < abs(sum) * 1e-15 { break }
            }
            return max(0, min(1, 1 - sum * exp(lnFront)))
        }
        let tiny = 1e-300
        var b = z + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...500 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return max(0, min(1, exp(lnFront) * h))
    }
}
