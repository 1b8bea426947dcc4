import PetalData
import PetalSession

/// A scrollable page of text: the view for command results that have no richer view (describe, counts, the
/// pipeline, cross-validation, errors). Lines can carry a style; scrolls both ways.
public struct TextView: WorkbenchView {
    public var title: String
    public var lines: [(text: String, style: CellStyle)]
    public private(set) var top = 0
    public private(set) var left = 0
    /// The text at a width, for views laid out to the screen (re-wrapped by `fit(width:)` after a resize).
    private var source: (@Sendable (Int) -> String)?
    private var style: CellStyle = .plain
    /// The width `lines` were laid out for (nil: fixed text, never re-wrapped).
    public private(set) var laidOutWidth: Int?

    public init(title: String, text: String, style: CellStyle = .plain) {
        self.title = title
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { (String($0), style) }
    }

    /// Text laid out for `width`: a line still wider (a summary, a path, a command to copy) wraps at spaces,
    /// its continuation indented under the line's own text, instead of running off the view.
    public init(title: String, text: String, wrapping width: Int, style: CellStyle = .plain) {
        self.init(title: title, source: { _ in text }, width: width, style: style)
    }

    /// A result's text rendered and wrapped at `width`, and again at the new width whenever the view is drawn
    /// wider or narrower (a terminal resize), so nothing stays wrapped at the old width or runs off the view.
    public init(title: String, rendering output: any CommandOutput, width: Int, style: CellStyle = .plain) {
        self.init(title: title, source: { output.renderText(width: $0) }, width: width, style: style)
    }

    /// Text made for a width by `source` (rendered, then wrapped), re-made by `fit(width:)`.
    public init(title: String, source: @escaping @Sendable (Int) -> String, width: Int, style: CellStyle = .plain) {
        self.title = title
        self.source = source
        self.style = style
        lines = TextView.wrapped(source(width), width: width, style: style)
        laidOutWidth = width
    }

    /// Lays the text out again for `width` when it was made for another (a view made by `source`); keeps the
    /// scroll position within the new length.
    public mutating func fit(width: Int) {
        guard let source, let laidOutWidth, laidOutWidth != width, width > 0 else { return }
        lines = TextView.wrapped(source(width), width: width, style: style)
        self.laidOutWidth = width
        top = min(top, max(0, lines.count - 1))
    }

    static func wrapped(_ text: String, width: Int, style: CellStyle) -> [(text: String, style: CellStyle)] {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { raw -> [(text: String, style: CellStyle)] in
            let line = String(raw)
            guard TextWidth.of(line) > width else { return [(line, style)] }
            // Continuations start under the line's text: after its indentation, or after a `name  ` label.
            let labelEnd = line.range(of: "  ", range: line.index(line.startIndex, offsetBy: line.prefix { $0 == " " }.count)..<line.endIndex)
                .map { line.distance(from: line.startIndex, to: $0.upperBound) } ?? 0
            let lead = String(repeating: " ", count: min(width / 2, max(line.prefix { $0 == " " }.count + 2, labelEnd)))
            return TextWidth.wrap(line, width: width, indent: lead).map { ($0, style) }
        }
    }

    public init(title: String, lines: [(text: String, style: CellStyle)]) {
        self.title = title
        self.lines = lines
    }

    public var hints: [KeyHint] {
        [KeyHint("↑↓ PgUp PgDn", "scroll"), KeyHint("g/G", "top/bottom"), KeyHint("←→", "pan")]
    }

    /// Rows of text shown in `rect`: all of it, or one less when the text scrolls (the last row then says where
    /// you are, on a row of its own so it never covers text).
    func textRows(_ rect: Rect) -> Int { lines.count > rect.height ? max(1, rect.height - 1) : rect.height }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        let rows = textRows(rect)
        for row in 0..<rows {
            guard let line = lines[safe: top + row] else { break }
            let visible = String(line.text.dropFirst(left))
            grid.put(visible, x: rect.x, y: rect.y + row, style: line.style, maxX: rect.maxX)
        }
        if lines.count > rect.height, rect.width > 0, rect.height > 1 {
            let shown = "\(min(lines.count, top + rows))/\(lines.count) ↓"
            grid.put(shown, x: rect.maxX - TextWidth.of(shown), y: rect.maxY - 1, style: .muted, maxX: rect.maxX)
        }
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        let page = max(1, textRows(rect) - 1)
        let lastTop = max(0, lines.count - textRows(rect))
        switch key {
        case .down, .character("j"), .scrollDown: top = min(lastTop, top + 1)
        case .up, .character("k"), .scrollUp: top = max(0, top - 1)
        case .pageDown, .character(" "): top = min(lastTop, top + page)
        case .pageUp: top = max(0, top - page)
        case .home, .character("g"): top = 0
        case .end, .character("G"): top = lastTop
        case .right, .character("l"): left += 8
        case .left, .character("h"): left = max(0, left - 8)
        default: return .ignored
        }
        return .handled
    }
}
