import PetalSession

/// What a cell's colour means; the terminal maps each tint to a colour pair (or to none under NO_COLOR).
public enum Tint: Hashable, Sendable {
    case normal
    /// Titles, the selected sidebar entry, the prompt.
    case accent
    /// Secondary text: types, hints, nulls.
    case muted
    case error
    case warning
    case success
    /// The n-th class of a categorical series (histogram stacks, scatter dots, legends).
    case series(Int)
    /// A heat level from 0 (cold, e.g. -1) to 8 (hot, e.g. +1) for heatmaps.
    case heat(Int)

    /// Number of distinct series colours; classes beyond it reuse them.
    public static let seriesCount = 6
}

/// How a cell is drawn.
public struct CellStyle: Hashable, Sendable {
    public var tint: Tint
    /// Paint the background in the tint instead of the text (heatmap cells).
    public var filled: Bool
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool

    public init(_ tint: Tint = .normal, filled: Bool = false, bold: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.tint = tint; self.filled = filled; self.bold = bold; self.reverse = reverse; self.underline = underline
    }

    public static let plain = CellStyle()
    public static let accent = CellStyle(.accent, bold: true)
    public static let muted = CellStyle(.muted)
    public static let selected = CellStyle(.normal, reverse: true)
    public static let header = CellStyle(.accent, bold: true)
}

/// One terminal cell: a grapheme (one or two columns wide) or the continuation of a wide one.
public struct Cell: Hashable, Sendable {
    /// The grapheme; empty for the right half of a wide character.
    public var text: String
    public var style: CellStyle

    public static let blank = Cell(text: " ", style: .plain)
}

/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    /// The rectangle shrunk by `n` cells on every side.
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}

/// A pure text screen that views draw into. The terminal layer copies it to ncurses, writing only changed cells,
/// and tests read it back as text.
public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y), or nil outside the grid.
    public func cell(x: Int, y: Int) -> Cell? {
        guard x >= 0, y >= 0, x < width, y < height else { return nil }
        return cells[y * width + x]
    }

    /// Sets one cell; outside the grid it does nothing.
    public mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        cells[y * width + x] = cell
    }

    /// Fills a rectangle with a character in a style.
    public mutating func fill(_ rect: Rect, with text: String = " ", style: CellStyle = .plain) {
        for y in max(0, rect.y)..<min(height, rect.maxY) where rect.x < width {
            for x in max(0, rect.x)..<min(width, rect.maxX) { cells[y * width + x] = Cell(text: text, style: style) }
        }
    }

    /// Writes `text` from (x, y) on one line, clipped at `maxX` (default: the grid's edge); `…` marks a cut when
    /// `ellipsis` is set. Returns the column after the last cell written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxX: Int? = nil, ellipsis: Bool = false) -> Int {
        guard y >= 0, y < height else { return x }
        let limit = min(maxX ?? width, width)
        var column = x
        let needsCut = ellipsis && x + TextWidth.of(text) > limit
        let budget = needsCut ? limit - 1 : limit
        for ch in text {
            let grapheme = ch == "\t" || ch == "\n" || ch == "\r" ? " " : String(ch)
            let w = grapheme.unicodeScalars.first.map { TextWidth.of(String($0)) } ?? 1
            if w == 0 { continue }
            if column + w > budget { break }
            if column >= 0 {
                set(x: column, y: y, Cell(text: grapheme, style: style))
                if w == 2 { set(x: column + 1, y: y, Cell(text: "", style: style)) }
            }
            column += w
        }
        if needsCut && column < limit { set(x: column, y: y, Cell(text: "…", style: style)); column += 1 }
        return column
    }

    /// Changes the style of cells already written (e.g. to highlight a selected row).
    public mutating func restyle(_ rect: Rect, _ change: (inout CellStyle) -> Void) {
        for y in max(0, rect.y)..<min(height, rect.maxY) where rect.x < width {
            for x in max(0, rect.x)..<min(width, rect.maxX) { change(&cells[y * width + x].style) }
        }
    }

    /// Replaces every non-ASCII cell with an ASCII look-alike (`ASCIIText`), for terminals whose locale is not UTF-8.
    public mutating func asciiFallback() {
        for i in cells.indices where !cells[i].text.allSatisfy(\.isASCII) {
            cells[i].text = cells[i].text.first.map { String(ASCIIText.character($0)) } ?? ""
        }
    }

    /// Row `y` as plain text, trailing spaces kept.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        return cells[(y * width)..<(y * width + width)].map(\.text).joined()
    }

    /// Every row as text, trailing spaces removed (what tests and `capture-pane` compare).
    public var text: String {
        (0..<height).map { y in
            var s = line(y)
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }.joined(separator: "\n")
    }

    /// True when some row contains `needle`.
    public func contains(_ needle: String) -> Bool { (0..<height).contains { line($0).contains(needle) } }

    /// The first (x, y) where `needle` starts, counting columns as cells.
    public func find(_ needle: String) -> (x: Int, y: Int)? {
        for y in 0..<height {
            let row = line(y)
            if let r = row.range(of: needle) { return (TextWidth.of(String(row[..<r.lowerBound])), y) }
        }
        return nil
    }
}
