/// A dot canvas drawn with Unicode braille (2×4 dots per cell), or ASCII density marks when Unicode is off.
/// Each cell remembers which series its dots came from, so a full-screen view can colour them by class.
public struct DotCanvas: Sendable {
    public let width: Int
    public let height: Int
    private var bits: [UInt8]
    /// The series of a cell's dots: -1 none, -2 several.
    private var series: [Int]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        bits = Array(repeating: 0, count: self.width * self.height)
        series = Array(repeating: -1, count: self.width * self.height)
    }

    /// Dot resolution across and down.
    public var dotsAcross: Int { width * 2 }
    public var dotsDown: Int { height * 4 }

    /// Sets the dot at (`x`, `y`) in dot coordinates (y grows downwards), belonging to `seriesIndex`.
    public mutating func plot(x: Int, y: Int, seriesIndex: Int = 0) {
        guard x >= 0, y >= 0, x < dotsAcross, y < dotsDown else { return }
        let cell = (y / 4) * width + x / 2
        let dx = x % 2, dy = y % 4
        let bit: UInt8 = dy == 3 ? (dx == 0 ? 0x40 : 0x80) : UInt8(1 << (dy + 3 * dx))
        bits[cell] |= bit
        let s = series[cell]
        series[cell] = s == -1 || s == seriesIndex ? seriesIndex : -2
    }

    /// The cell's character: a braille pattern, or in ASCII `.`, `:` or `#` by how many dots are set.
    public func character(x: Int, y: Int, unicode: Bool) -> String {
        guard x >= 0, y >= 0, x < width, y < height else { return " " }
        let b = bits[y * width + x]
        if b == 0 { return " " }
        if unicode { return String(UnicodeScalar(0x2800 + UInt32(b)).map(Character.init) ?? " ") }
        let n = b.nonzeroBitCount
        return n <= 2 ? "." : n <= 5 ? ":" : "#"
    }

    /// The series of the cell's dots: nil for an empty cell, -2 when several series share it.
    public func seriesIndex(x: Int, y: Int) -> Int? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        let s = series[y * width + x]
        return s == -1 ? nil : s
    }
}
