import PetalSession

/// A result whose lines are choices (the tables of a database): a cursor on the choice lines, and Enter runs the
/// command of the one under it (`open linnerud.db table=exercise`), so every list in the workbench acts on Enter.
public struct PickListView: WorkbenchView {
    public let title: String
    private var text: TextView
    /// The line of the first choice, and each choice's command, in order.
    let firstLine: Int
    let commands: [String]
    public private(set) var selected = 0

    public init(title: String, text: String, firstLine: Int, commands: [String]) {
        self.title = title
        self.text = TextView(title: title, text: text)
        self.firstLine = firstLine
        self.commands = commands
    }

    public var hints: [KeyHint] { [KeyHint("↑↓", "choose"), KeyHint("Enter", "open it")] }

    public func draw(into grid: inout Grid, rect: Rect, context: DrawContext) {
        text.draw(into: &grid, rect: rect, context: context)
        let y = rect.y + firstLine + selected - text.top
        if !commands.isEmpty, y >= rect.y, y < rect.maxY { grid.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.reverse = true } }
    }

    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse {
        switch key {
        case .down, .character("j"): selected = min(max(0, commands.count - 1), selected + 1)
        case .up, .character("k"): selected = max(0, selected - 1)
        case .enter: return commands[safe: selected].map { .run($0) } ?? .ignored
        default: return text.handle(key, rect: rect)
        }
        while firstLine + selected >= text.top + text.textRows(rect) { _ = text.handle(.down, rect: rect) }
        while firstLine + selected < text.top, text.top > 0 { _ = text.handle(.up, rect: rect) }
        return .handled
    }
}
