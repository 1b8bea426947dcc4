import Foundation
import PetalData

/// Formats numbers for tables the way pandas prints them: one column, one number of decimals
/// (at most six, trailing zeros common to the whole column trimmed), scientific notation for extremes.
public enum NumberFormat {
    /// Formats a column of doubles (NaN shown as `NaN`).
    public static func column(_ values: [Double], maxDecimals: Int = 6) -> [String] {
        let finite = values.filter { $0.isFinite }
        guard !finite.isEmpty else { return values.map { special($0) } }
        let maxAbs = finite.map { abs($0) }.max() ?? 0
        let minNonZero = finite.filter { $0 != 0 }.map { abs($0) }.min() ?? 0
        if maxAbs >= 1e15 || (minNonZero > 0 && minNonZero < 1e-4 && maxAbs < 1e-2) {
            return values.map { $0.isFinite ? String(format: "%.4e", $0) : special($0) }
        }
        let decimals = self.decimals(finite, maxDecimals: maxDecimals)
        return values.map { $0.isFinite ? String(format: "%.\(decimals)f", $0) : special($0) }
    }

    /// The decimals a column of finite values needs: the most any value needs, up to `maxDecimals`.
    public static func decimals(_ finite: [Double], maxDecimals: Int = 6) -> Int {
        var decimals = 0
        for v in finite where v.isFinite {
            let text = String(format: "%.\(maxDecimals)f", v)
            if let dot = text.firstIndex(of: ".") {
                var frac = text[text.index(after: dot)...]
                while frac.last == "0" { frac = frac.dropLast() }
                decimals = max(decimals, frac.count)
            }
            if decimals == maxDecimals { break }
        }
        return decimals
    }

    /// How a missing value reads in every table, whatever the column's type (as pandas prints it).
    public static let missing = "NaN"

    /// One number on its own, with up to six decimals and no trailing zeros.
    public static func single(_ v: Double) -> String { column([v])[0] }

    /// A count with thousands separators (`1,000,000`).
    public static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }

    /// A percentage with one decimal (`33.3%`).
    public static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "0.0%" }
        return String(format: "%.1f%%", Double(part) * 100 / Double(whole))
    }

    static func special(_ v: Double) -> String {
        if v.isNaN { return missing }
        return v < 0 ? "-inf" : "inf"
    }
}
