import PetalData

/// Which features a transform applies to: named input columns, or every number / every text column.
public enum ColumnSelection: Sendable, Codable, Hashable {
    case names([String])
    case type(String)

    /// Parses `columns=a,b` or `columns=number` / `columns=text`.
    public init(_ text: String) {
        let lower = text.lowercased()
        if lower == "number" || lower == "numeric" || lower == "text" { self = .type(lower == "text" ? "text" : "number") }
        else { self = .names(text.split(separator: ",").map(String.init)) }
    }

    /// Matrix columns selected in `schema` (one-hot columns go with their text column).
    func indices(in schema: FeatureSchema) throws -> [Int] {
        var out: [Int] = []
        var j = 0
        var found = Set<String>()
        for input in schema.inputs {
            let width = input.width
            let isText: Bool
            switch input {
            case .number: isText = false
            case .oneHot, .ordinal, .cross: isText = true
            }
            let chosen: Bool
            switch self {
            case .names(let names): chosen = names.contains(input.column)
            case .type(let t): chosen = (t == "text") == isText
            }
            if chosen { out += Array(j..<(j + width)); found.insert(input.column) }
            j += width
        }
        if case .names(let names) = self, let missing = names.first(where: { !found.contains($0) }) {
            throw PetalError("columns= names \"\(missing)\", which is not a feature", hint: "features: " + schema.inputs.map(\.column).joined(separator: ", "))
        }
        return out
    }
}
