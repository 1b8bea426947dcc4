/// A curve drawn in one line of block characters (`▁▂▃▅▇`), or ASCII (`_.-=#`) when `unicode` is false.
public enum Sparkline {
    static let unicodeLevels = Array("▁▂▃▄▅▆▇█")
    static let asciiLevels = Array("_.-=+*#")

    /// One character per value (at most `width`, by averaging neighbouring values); nulls as spaces.
    public static func render(_ values: [Double?], width: Int = 24, unicode: Bool) -> String {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return "" }
        let levels = unicode ? unicodeLevels : asciiLevels
        var points = values
        if points.count > width && width > 0 {
            points = (0..<width).map { i in
                let slice = points[(i * points.count / width)..<((i + 1) * points.count / width)].compactMap { $0 }.filter(\.isFinite)
                return slice.isEmpty ? nil : slice.reduce(0, +) / Double(slice.count)
            }
        }
        return String(points.map { v -> Character in
            guard let v, v.isFinite else { return " " }
            let f = hi > lo ? (v - lo) / (hi - lo) : 0.5
            return levels[min(levels.count - 1, max(0, Int((f * Double(levels.count - 1)).rounded())))]
        })
    }
}
