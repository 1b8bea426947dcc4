/// A small drawing of an iris flower for the demo form (the course's demo returns a picture): bigger petals for
/// the species with bigger petals, so the three look different at a glance.
public enum Flower {
    /// Lines of the drawing for a predicted class name (nil for a class that is not an iris species).
    public static func drawing(for label: String, unicode: Bool) -> [String]? {
        let name = label.lowercased()
        let size = name.contains("setosa") ? 0 : name.contains("versicolor") ? 1 : name.contains("virginica") ? 2 : -1
        guard size >= 0 else { return nil }
        if !unicode {
            return [["   .   ", "  (*)  ", "   |   ", "   |   "],
                    ["  \\|/  ", " -(*)- ", "  /|\\  ", "   |   "],
                    [" \\\\|// ", "--(*)--", " //|\\\\ ", "   |   "]][size]
        }
        return [["   ❀   ", "   │   ", "  ╱│   ", "   │   "],
                ["  ╲✿╱  ", " ─❀✿❀─ ", "  ╱│╲  ", "   │   "],
                [" ╲╲✿╱╱ ", "─❀❀✿❀❀─", " ╱╱│╲╲ ", "   │   "]][size]
    }
}
