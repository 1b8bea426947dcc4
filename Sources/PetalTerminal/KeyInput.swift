@preconcurrency import CNCursesW
import Foundation
import PetalTUI

/// One key read from ncurses: the workbench's `Key`, and the bytes readline expects for it.
struct Input {
    /// nil for a terminal resize.
    var key: Key?
    var bytes: [UInt8]
}

extension WorkbenchApp {
    /// Waits briefly for a key; nil when none came (the loop then redraws progress).
    func readKey() -> Input? {
        if !pendingInput.isEmpty { return pendingInput.removeFirst() }
        var ch: wint_t = 0
        let r = wget_wch(shim_stdscr(), &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES { return functionKey(Int32(ch)) }
        return character(UInt32(ch))
    }

    private func character(_ c: UInt32) -> Input {
        switch c {
        case 13, 10: return Input(key: .enter, bytes: [13])
        case 9: return Input(key: .tab, bytes: [9])
        case 127, 8: return Input(key: .backspace, bytes: [127])
        case 27:
            // Esc is the workbench's key (keys to the view, hide a message), not a Meta prefix: a key that follows
            // at once (typed quickly, or joined by tmux's escape-time) is a key of its own, read next. The one
            // exception is Alt-b / Alt-f, which terminals send as Esc and the letter in one write: while the
            // command line has the keys, Esc immediately followed by b or f (already read, no waiting) moves by
            // a word — harmless if it was a quick Esc then b, where a lone Esc followed later by b stays Esc, b.
            wtimeout(shim_stdscr(), 0)
            defer { wtimeout(shim_stdscr(), 40) }
            var next: wint_t = 0
            let r = wget_wch(shim_stdscr(), &next)
            if r == OK, lineHasFocus, let word = WordKeys.meta(UInt32(next)) { return word }
            if r == OK { pendingInput.append(character(UInt32(next))) }
            if r == KEY_CODE_YES, let key = functionKey(Int32(next)) { pendingInput.append(key) }
            return Input(key: .escape, bytes: [27])
        case 1...26:
            let letter = Character(UnicodeScalar(UInt8(96 + c)))
            return Input(key: .control(letter), bytes: [UInt8(c)])
        default:
            guard let scalar = UnicodeScalar(c) else { return Input(key: nil, bytes: []) }
            let ch = Character(scalar)
            return Input(key: .character(ch), bytes: Array(String(ch).utf8))
        }
    }

    private func functionKey(_ code: Int32) -> Input? {
        let esc: UInt8 = 27, bracket = UInt8(ascii: "[")
        switch code {
        case KEY_RESIZE: return Input(key: nil, bytes: [])
        case WordKeys.left: return WordKeys.input(left: true)
        case WordKeys.right: return WordKeys.input(left: false)
        case KEY_UP: return Input(key: .up, bytes: [esc, bracket, UInt8(ascii: "A")])
        case KEY_DOWN: return Input(key: .down, bytes: [esc, bracket, UInt8(ascii: "B")])
        case KEY_RIGHT: return Input(key: .right, bytes: [esc, bracket, UInt8(ascii: "C")])
        case KEY_LEFT: return Input(key: .left, bytes: [esc, bracket, UInt8(ascii: "D")])
        case KEY_HOME: return Input(key: .home, bytes: [esc, bracket, UInt8(ascii: "H")])
        case KEY_END: return Input(key: .end, bytes: [esc, bracket, UInt8(ascii: "F")])
        case KEY_DC: return Input(key: .delete, bytes: [esc, bracket, UInt8(ascii: "3"), UInt8(ascii: "~")])
        case KEY_BACKSPACE: return Input(key: .backspace, bytes: [127])
        case KEY_ENTER: return Input(key: .enter, bytes: [13])
        case KEY_NPAGE: return Input(key: .pageDown, bytes: [])
        case KEY_PPAGE: return Input(key: .pageUp, bytes: [])
        case KEY_BTAB: return Input(key: .backTab, bytes: [])
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let state = UInt(event.bstate)
            if state & UInt(shim_BUTTON4_PRESSED()) != 0 { return Input(key: .scrollUp, bytes: []) }
            if state & UInt(shim_BUTTON5_PRESSED()) != 0 { return Input(key: .scrollDown, bytes: []) }
            return Input(key: .click(x: Int(event.x), y: Int(event.y)), bytes: [])
        default:
            for n in 1...12 where code == shim_KEY_F(Int32(n)) { return Input(key: .function(n), bytes: []) }
            return nil
        }
    }
}

/// Moving by words on the command line: Ctrl-← / Ctrl-→ (the sequences terminals send, given codes of Petal's own
/// with `define_key`, whatever the terminfo entry says) and Alt-b / Alt-f. Readline gets Esc-b / Esc-f, its
/// backward-word and forward-word; a view gets ← / →.
enum WordKeys {
    /// Key codes above ncurses' own and the extended ones it numbers from `KEY_MAX`.
    static let left: Int32 = 0x7F0, right: Int32 = 0x7F1
    /// xterm (and tmux, VTE, iTerm2), then rxvt.
    static let sequences: [(String, Int32)] = [("\u{1B}[1;5D", left), ("\u{1B}[1;5C", right), ("\u{1B}Od", left), ("\u{1B}Oc", right)]

    /// Binds the sequences to `left` and `right`, replacing what terminfo named them (kLFT5, kRIT5).
    static func install() {
        for (sequence, code) in sequences {
            define_key(sequence, 0)
            define_key(sequence, code)
        }
    }

    static func input(left: Bool) -> Input {
        Input(key: left ? .left : .right, bytes: [27, UInt8(ascii: left ? "b" : "f")])
    }

    /// Alt-b / Alt-f from the character read right after an Esc.
    static func meta(_ c: UInt32) -> Input? {
        c == UInt32(UInt8(ascii: "b")) ? input(left: true) : c == UInt32(UInt8(ascii: "f")) ? input(left: false) : nil
    }
}
