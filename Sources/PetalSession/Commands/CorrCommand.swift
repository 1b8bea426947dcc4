import PetalData

/// `corr NAME`: the Pearson correlation matrix of the numeric columns.
public enum CorrCommand: PetalCommand {
    public static let name = "corr"
    public static let aliases = ["correlation"]
    public static let syntax = "corr NAME"
    public static let summary = "Pearson correlation of the numeric columns (pandas' corr)"

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a data set", syntax: syntax)
        try args.checkPositional(max: 1, syntax: syntax)
        let d = try session.dataset(name)
        let m = CorrelationMatrix.compute(d.frame)
        guard !m.names.isEmpty else {
            throw PetalError("\(d.name) has no numeric columns to correlate", hint: "describe \(d.name) shows the column types")
        }
        let skipped = d.frame.columns.filter { !($0.type.isNumeric || $0.type == .bool) }.map(\.name)
        return CorrOutput(dataset: d.name, matrix: m, skipped: skipped)
    }
}

/// The result of `corr`.
public struct CorrOutput: CommandOutput {
    public var dataset: String
    public var matrix: CorrelationMatrix
    public var skipped: [String]

    public func renderText(width: Int) -> String {
        let n = matrix.names.count
        let cells = matrix.values.map { row in row.map { $0.isNaN ? "NaN" : String(format: "%.3f", $0) } }
        let labelWidth = matrix.names.map(TextWidth.of).max() ?? 0
        var blocks: [[Int]] = [[]]
        var used = labelWidth
        for j in 0..<n {
            let w = max(TextWidth.of(matrix.names[j]), 6) + 2
            if used + w > width && !blocks[blocks.count - 1].isEmpty { blocks.append([]); used = labelWidth }
            blocks[blocks.count - 1].append(j)
            used += w
        }
        var text = blocks.map { block in
            TextTable(headers: [""] + block.map { matrix.names[$0] }, alignments: [.left] + block.map { _ in .right },
                      rows: (0..<n).map { i in [matrix.names[i]] + block.map { cells[i][$0] } }).render(width: Int.max)
        }.joined(separator: "\n\n")
        if !skipped.isEmpty { text += "\n(not numeric, left out: \(skipped.joined(separator: ", ")))" }
        return text
    }

    public func json() -> JSONValue {
        .object([("dataset", .string(dataset)), ("columns", .array(matrix.names.map { .string($0) })),
                 ("matrix", .array(matrix.values.map { .array($0.map { JSONValue.number($0) }) }))])
    }
}
