import PetalData

/// Left-aligned padding to a display width.
func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - TextWidth.of(s))) }
/// Right-aligned padding to a display width.
func lpad(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - TextWidth.of(s))) + s }

/// Bars drawn with Unicode eighth blocks (or `#` in ASCII mode: `RenderContext.unicode` false).
public enum Bars {
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// A bar `fraction` (0…1) of `width` cells long.
    public static func horizontal(_ fraction: Double, width: Int, unicode: Bool) -> String {
        let f = fraction.isFinite ? max(0, min(1, fraction)) : 0
        if !unicode { return String(repeating: "#", count: Int((f * Double(width)).rounded())) }
        let total = Int((f * Double(width) * 8).rounded())
        var bar = String(repeating: "█", count: total / 8) + eighths[total % 8]
        if bar.isEmpty && f > 0 { bar = "▏" }
        return bar
    }
}
