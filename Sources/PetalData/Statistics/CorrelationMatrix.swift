/// A Pearson correlation matrix over numeric columns, pairwise-complete as pandas' `DataFrame.corr`.
public struct CorrelationMatrix: Sendable, Hashable {
    public var names: [String]
    /// `values[i][j]`; NaN where fewer than two complete pairs or a constant column.
    public var values: [[Double]]
}

extension CorrelationMatrix {
    /// Computes the matrix for the numeric (int, float, bool) columns of `frame`, as pandas' `nancorr` does
    /// (Welford updates over rows where both values are present).
    public static func compute(_ frame: Frame) -> CorrelationMatrix {
        let cols = frame.columns.filter { $0.type.isNumeric || $0.type == .bool }
        let data = cols.compactMap { $0.doublesWithNaN() }
        let k = data.count
        var out = [[Double]](repeating: [Double](repeating: .nan, count: k), count: k)
        let n = frame.rowCount
        for xi in 0..<k {
            for yi in 0...xi {
                let x = data[xi], y = data[yi]
                var nobs = 0.0, meanx = 0.0, meany = 0.0, ssqdmx = 0.0, ssqdmy = 0.0, covxy = 0.0
                for i in 0..<n {
                    let vx = x[i], vy = y[i]
                    if vx.isNaN || vy.isNaN { continue }
                    nobs += 1
                    let dx = vx - meanx, dy = vy - meany
                    meanx += 1 / nobs * dx
                    meany += 1 / nobs * dy
                    ssqdmx += (vx - meanx) * dx
                    ssqdmy += (vy - meany) * dy
                    covxy += (vx - meanx) * dy
                }
                var r = Double.nan
                if nobs >= 1 {
                    let divisor = (ssqdmx * ssqdmy).squareRoot()
                    if divisor != 0 { r = max(-1, min(1, covxy / divisor)) }
                }
                out[xi][yi] = r
                out[yi][xi] = r
            }
        }
        return CorrelationMatrix(names: cols.map(\.name), values: out)
    }
}
