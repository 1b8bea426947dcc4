import Foundation

/// ASCII look-alikes for the non-ASCII characters Petal draws (arrows, dashes, blocks, box lines), for
/// `--ascii` and terminals whose locale is not UTF-8. One character for one, so a grid cell stays a cell; letters
/// with accents lose them; anything else becomes `?`. Used by the workbench's grid and by headless output.
public enum ASCIIText {
    static let map: [Character: Character] = [
        "▶": ">", "→": ">", "←": "<", "↑": "^", "↓": "v", "◀": "<", "×": "x", "…": "~", "─": "-", "│": "|", "└": "+",
        "┌": "+", "┐": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "═": "=", "║": "|", "■": "#",
        "✿": "*", "█": "#", "▉": "#", "▊": "#", "▋": "#", "▌": "#", "▍": "#", "▎": "|", "▏": "|", "░": ".", "▒": ":", "▓": "#",
        "²": "2", "−": "-", "–": "-", "—": "-", "·": ".", "•": "*", "●": "*", "○": "o", "✕": "x", "✓": "v", "⏸": "=",
        "≥": ">", "≤": "<", "≈": "~", "±": "+", "°": "o", "µ": "u", "‘": "'", "’": "'", "“": "\"", "”": "\"",
    ]

    /// The ASCII stand-in for one character.
    public static func character(_ c: Character) -> Character {
        if c.isASCII { return c }
        if let mapped = map[c] { return mapped }
        if c.unicodeScalars.first.map({ $0.value >= 0x2800 && $0.value <= 0x28FF }) == true { return "." }  // braille dots
        let folded = String(c).folding(options: .diacriticInsensitive, locale: nil)
        if let first = folded.first, first.isASCII, folded.count == 1 { return first }
        return "?"
    }

    /// `text` with every character ASCII.
    public static func text(_ s: String) -> String {
        s.allSatisfy(\.isASCII) ? s : String(s.map(character))
    }
}
