@preconcurrency import CNCursesW
import Foundation
import PetalTUI

/// The ncurses screen: starts and restores the terminal, maps tints to colour pairs, and copies a `Grid` to
/// the terminal writing only the cells that changed since the last frame.
final class Screen {
    enum Colors { case none, basic, many }

    private(set) var colors: Colors = .none
    private var previous: Grid?
    private var ended = false
    private var lastCursor: (x: Int, y: Int)?

    /// Takes over the terminal. `noColor` honours the NO_COLOR convention.
    init(noColor: Bool) {
        setlocale(LC_ALL, "")
        // ncurses installs its resize handler only when SIGWINCH has the default disposition, and the signal must
        // not be blocked: a parent that ignores or blocks it (a test runner, and what it starts) would otherwise
        // leave resizes unseen.
        signal(SIGWINCH, SIG_DFL)
        var needed = sigset_t()
        sigemptyset(&needed)
        // A blocked mask is inherited across exec too; SIGTERM and SIGHUP end the workbench cleanly.
        for sig in [SIGWINCH, SIGTERM, SIGHUP] { sigaddset(&needed, sig) }
        pthread_sigmask(SIG_UNBLOCK, &needed, nil)
        initscr()
        raw()
        noecho()
        nonl()
        keypad(shim_stdscr(), true)
        set_escdelay(25)
        WordKeys.install()
        wtimeout(shim_stdscr(), 40)
        var old: mmask_t = 0
        mousemask(mmask_t(shim_BUTTON1_CLICKED() | shim_BUTTON4_PRESSED() | shim_BUTTON5_PRESSED()), &old)
        mouseinterval(0)
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            colors = shim_colors() >= 256 ? .many : .basic
            definePairs()
        }
    }

    /// Gives the terminal back (idempotent).
    func end() {
        guard !ended else { return }
        ended = true
        endwin()
    }

    /// False once the terminal has gone away (its window closed, the tmux pane killed): reading would then
    /// fail at once forever, so the loop must end instead of spinning.
    var terminalIsOpen: Bool {
        var p = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) >= 0 else { return false }
        return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) == 0
    }

    var size: (width: Int, height: Int) {
        var y: Int32 = 0, x: Int32 = 0
        shim_getmaxyx(shim_stdscr(), &y, &x)
        return (Int(x), Int(y))
    }

    /// Forgets what is on screen so the next `present` writes every cell (after a resize or Ctrl-L).
    func invalidate() {
        previous = nil
        clearok(shim_stdscr(), true)
    }

    /// Copies the grid's changed cells to the terminal and puts the cursor at `cursor`; false when nothing changed.
    @discardableResult
    func present(_ grid: Grid, cursor: (x: Int, y: Int)?) -> Bool {
        if let previous, previous == grid, let cursor, lastCursor.map({ $0 == cursor }) == true { return false }
        lastCursor = cursor
        let old = previous.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
        if old == nil { werase(shim_stdscr()) }
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                guard let cell = grid.cell(x: x, y: y) else { break }
                if let old, old.cell(x: x, y: y) == cell { x += 1; continue }
                // Write a run of changed cells that share a style.
                var text = ""
                let style = cell.style
                var end = x
                while end < grid.width, let c = grid.cell(x: end, y: y), c.style == style,
                      old == nil || old?.cell(x: end, y: y) != c || end == x {
                    text += c.text
                    end += 1
                }
                setStyle(style)
                // The bottom-right cell: writing it scrolls some terminals; ncurses handles it with insch, so skip.
                if y == grid.height - 1 && end == grid.width && !text.isEmpty {
                    var trimmed = text
                    trimmed.removeLast()
                    mvwaddstr(shim_stdscr(), Int32(y), Int32(x), trimmed)
                } else {
                    mvwaddstr(shim_stdscr(), Int32(y), Int32(x), text)
                }
                x = max(end, x + 1)
            }
        }
        wattr_set(shim_stdscr(), shim_A_NORMAL(), 0, nil)
        if let cursor {
            curs_set(1)
            wmove(shim_stdscr(), Int32(cursor.y), Int32(max(0, min(grid.width - 1, cursor.x))))
        } else {
            curs_set(0)
        }
        wrefresh(shim_stdscr())
        previous = grid
        return true
    }

    // MARK: - Colours

    private static let seriesBasic: [Int16] = [Int16(COLOR_MAGENTA), Int16(COLOR_GREEN), Int16(COLOR_YELLOW), Int16(COLOR_CYAN), Int16(COLOR_RED), Int16(COLOR_BLUE)]
    private static let seriesMany: [Int16] = [205, 41, 214, 39, 196, 141]
    private static let heatMany: [Int16] = [25, 31, 67, 110, 252, 217, 209, 167, 160]
    private static let heatBasic: [Int16] = [Int16(COLOR_BLUE), Int16(COLOR_BLUE), Int16(COLOR_CYAN), Int16(COLOR_CYAN), -1,
                                             Int16(COLOR_YELLOW), Int16(COLOR_YELLOW), Int16(COLOR_RED), Int16(COLOR_RED)]

    /// Colour pair numbers: 1 accent, 2 muted, 3 error, 4 warning, 5 success, 6… series, 20… heat backgrounds.
    private func definePairs() {
        let many = colors == .many
        init_pair(1, Int16(COLOR_CYAN), -1)
        init_pair(2, many ? 244 : -1, -1)
        init_pair(3, Int16(COLOR_RED), -1)
        init_pair(4, Int16(COLOR_YELLOW), -1)
        init_pair(5, Int16(COLOR_GREEN), -1)
        let series = many ? Screen.seriesMany : Screen.seriesBasic
        for (k, c) in series.enumerated() { init_pair(Int16(6 + k), c, -1) }
        let heat = many ? Screen.heatMany : Screen.heatBasic
        for (k, c) in heat.enumerated() {
            let foreground: Int16 = c == -1 || (many && (k == 3 || k == 4 || k == 5)) ? -1 : Int16(COLOR_WHITE)
            init_pair(Int16(20 + k), many && (k == 3 || k == 4 || k == 5) ? Int16(COLOR_BLACK) : foreground, c)
        }
    }

    private func pair(for style: CellStyle) -> Int16 {
        guard colors != .none else { return 0 }
        switch style.tint {
        case .normal: return 0
        case .accent: return 1
        case .muted: return 2
        case .error: return 3
        case .warning: return 4
        case .success: return 5
        case .series(let n): return Int16(6 + ((n % Tint.seriesCount) + Tint.seriesCount) % Tint.seriesCount)
        case .heat(let level): return style.filled ? Int16(20 + max(0, min(8, level))) : 1
        }
    }

    private func setStyle(_ style: CellStyle) {
        var attrs = shim_A_NORMAL()
        if style.bold { attrs |= shim_A_BOLD() }
        if style.reverse { attrs |= shim_A_REVERSE() }
        if style.underline { attrs |= shim_A_UNDERLINE() }
        if style.tint == .muted && colors != .many { attrs |= shim_A_DIM() }
        if colors == .none, case .heat(let level) = style.tint, style.filled, level >= 7 { attrs |= shim_A_BOLD() }
        wattr_set(shim_stdscr(), attrs, pair(for: style), nil)
    }
}
