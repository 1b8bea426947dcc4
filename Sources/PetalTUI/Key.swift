/// A key press (or mouse click) as the workbench sees it; the terminal layer translates ncurses codes to these.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// Ctrl plus a letter, e.g. `.control("c")`.
    case control(Character)
    /// A click at a screen cell.
    case click(x: Int, y: Int)
    case scrollUp, scrollDown

    /// How the key is written in hints and help (`↑`, `PgDn`, `Ctrl-C`).
    public var label: String {
        switch self {
        case .character(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .function(let n): return "F\(n)"
        case .control(let c): return "Ctrl-" + String(c).uppercased()
        case .click: return "click"
        case .scrollUp: return "wheel up"
        case .scrollDown: return "wheel down"
        }
    }
}

/// A key and what it does, for the hint bar and the help view.
public struct KeyHint: Hashable, Sendable {
    public var keys: String
    public var action: String
    public init(_ keys: String, _ action: String) { self.keys = keys; self.action = action }
}

/// What a view asks the workbench to do after a key.
public enum ViewResponse: Sendable {
    /// The view did not use the key (the workbench may).
    case ignored
    /// The view used the key; redraw.
    case handled
    /// Run a command line as if typed (Enter on a column runs `hist iris.petal_length`).
    case run(String)
    /// Open another view on top of this one.
    case push(any WorkbenchView)
    /// Ask for a line of text (search, jump to row); the answer comes back through `answer(_:to:)`.
    case ask(prompt: String, purpose: String)
    /// Show a message in the status line.
    case message(String)
}

/// Drawing settings that views honour.
public struct DrawContext: Sendable {
    /// Unicode blocks, braille and box lines allowed (false: ASCII fallback, when the locale is not UTF-8).
    public var unicode: Bool
    public init(unicode: Bool = true) { self.unicode = unicode }
}

/// One main view of the workbench: draws itself into a rectangle of the grid and reacts to keys.
public protocol WorkbenchView: Sendable {
    /// Shown in the view's title line.
    var title: String { get }
    /// Keys that work in this view, for the hint bar and help.
    var hints: [KeyHint] { get }
    /// True for views that take every key (a form being typed into): only Esc, F1 and Ctrl-C stay global.
    var capturesKeys: Bool { get }
    /// Draws into `rect` of `grid`.
    func draw(into grid: inout Grid, rect: Rect, context: DrawContext)
    /// Reacts to a key; `rect` is where the view was last drawn (for paging and clicks).
    mutating func handle(_ key: Key, rect: Rect) -> ViewResponse
    /// Receives the answer to an `ask`.
    mutating func answer(_ text: String, to purpose: String, rect: Rect) -> ViewResponse
    /// Lays text out again for the view's width (`Workbench.render` calls it every frame; after a terminal resize
    /// wrapped text is wrapped at the new width). Views that lay out in `draw` need nothing.
    mutating func fit(width: Int)
}

extension WorkbenchView {
    public var hints: [KeyHint] { [] }
    public var capturesKeys: Bool { false }
    public mutating func handle(_ key: Key, rect: Rect) -> ViewResponse { .ignored }
    public mutating func answer(_ text: String, to purpose: String, rect: Rect) -> ViewResponse { .ignored }
    public mutating func fit(width: Int) {}
}
