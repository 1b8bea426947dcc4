import Foundation
import PetalData

/// The corrected resampled paired t-test of Nadeau and Bengio (2003) over cross-validation folds — the test
/// Weka's Experimenter uses ("Paired T-Tester (corrected)"). Fold scores of two models on the same folds are
/// not independent (their training rows overlap), so the plain paired t-test is too eager to call a
/// difference significant; the correction inflates the variance by `n_test / n_train`:
///
///     t = mean(d) / sqrt((1/k + n_test/n_train) · s²(d)),   k − 1 degrees of freedom
///
/// where `d` are the per-fold differences and `s²` their sample variance (n − 1).
public struct PairedTTest: Sendable, Equatable {
    public var t: Double
    public var degreesOfFreedom: Int
    /// The two-sided p-value.
    public var p: Double

    /// The name the outputs print, so a reader can look the test up.
    public static let name = "corrected resampled paired t-test (Nadeau & Bengio 2003), two-sided, α = 0.05"

    /// Compares fold scores `a` and `b` (same folds, same order).
    /// - Parameters:
    ///   - testFraction: `n_test / n_train` of a fold (1/(k−1) for k-fold cross-validation).
    /// - Returns: nil when there are fewer than two folds or the lists differ in length.
    public static func corrected(_ a: [Double], _ b: [Double], testFraction: Double) -> PairedTTest? {
        guard a.count == b.count, a.count >= 2, testFraction >= 0 else { return nil }
        let k = Double(a.count)
        let d = zip(a, b).map { $0 - $1 }
        let mean = d.reduce(0, +) / k
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (k - 1)
        let df = a.count - 1
        guard variance > 0 else {
            // Identical differences on every fold: no difference at all, or a certain one.
            return PairedTTest(t: mean == 0 ? 0 : (mean > 0 ? .infinity : -.infinity), degreesOfFreedom: df, p: mean == 0 ? 1 : 0)
        }
        let t = mean / ((1 / k + testFraction) * variance).squareRoot()
        return PairedTTest(t: t, degreesOfFreedom: df, p: twoSidedP(t: t, df: Double(df)))
    }

    /// P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2).
    public static func twoSidedP(t: Double, df: Double) -> Double {
        guard t.isFinite else { return t.isNaN ? 1 : 0 }
        return min(1, max(0, regularizedBeta(x: df / (df + t * t), a: df / 2, b: 0.5)))
    }

    /// The regularised incomplete beta function I_x(a, b), by its continued fraction (modified Lentz).
    static func regularizedBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let front = exp(logBeta + logPowers)
        // The fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) { return front * betaFraction(x: x, a: a, b: b) / a }
        return 1 - front * betaFraction(x: 1 - x, a: b, b: a) / b
    }

    private static func betaFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d; if abs(d) < tiny { d = tiny }
            c = 1 + even / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d; if abs(d) < tiny { d = tiny }
            c = 1 + odd / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }
}
