import PetalData

/// Rows of a data set as a table: a row-number column, typed headers, numbers formatted per column.
public struct FrameOutput: CommandOutput {
    public var dataset: String
    /// The rows to show.
    public var frame: Frame
    /// The original row numbers of `frame`'s rows (0-based, as pandas' index).
    public var rowNumbers: [Int]
    /// Rows of the data set not shown.
    public var hiddenRows: Int
    public var warnings: [DataWarning] = []
    /// A line printed above the table (e.g. "iris_sorted: 150 rows").
    public var title: String?

    public init(dataset: String, frame: Frame, rowNumbers: [Int], hiddenRows: Int, title: String? = nil) {
        self.dataset = dataset; self.frame = frame; self.rowNumbers = rowNumbers; self.hiddenRows = hiddenRows; self.title = title
    }

    public func renderText(width: Int) -> String {
        let columns = frame.columns.map(FrameOutput.cells)
        var rows: [[String]] = []
        for r in 0..<frame.rowCount {
            rows.append([String(rowNumbers[safe: r] ?? r)] + columns.map { $0[r] })
        }
        var t = TextTable(headers: [""] + frame.columnNames,
                          alignments: [.right] + frame.columns.map { $0.type == .text ? .left : .right }, rows: rows)
        t.subheaders = [""] + frame.columns.map { $0.type.rawValue }
        t.stickyColumns = 1
        t.hiddenRows = hiddenRows
        let table = t.render(width: width)
        return title.map { $0 + "\n" + table } ?? table
    }

    /// Display text of each cell of a column.
    public static func cells(_ c: Column) -> [String] {
        switch c.storage {
        case .float(let v):
            var values = v
            for i in values.indices where !c.isValid(i) { values[i] = .nan }
            return NumberFormat.column(values)
        default:
            return (0..<c.count).map { i in
                let v = c[i]
                if v.isNull { return NumberFormat.missing }
                return v.plainText
            }
        }
    }

    public func json() -> JSONValue {
        .object([
            ("dataset", .string(dataset)),
            ("columns", .array(frame.columnNames.map { .string($0) })),
            ("types", .array(frame.columns.map { .string($0.type.rawValue) })),
            ("index", .array(rowNumbers.map { .int($0) })),
            ("rows", .array((0..<frame.rowCount).map { r in .array(frame.columns.map { JSONValue.from($0[r]) }) })),
            ("total_rows", .int(frame.rowCount + hiddenRows)),
        ])
    }
}

/// A short confirmation message.
public struct MessageOutput: CommandOutput {
    public var text: String
    public var fields: [(String, JSONValue)]
    public var warnings: [DataWarning]
    public init(_ text: String, fields: [(String, JSONValue)] = [], warnings: [DataWarning] = []) {
        self.text = text; self.fields = fields; self.warnings = warnings
    }
    public func renderText(width: Int) -> String { text }
    public func json() -> JSONValue { .object([("message", .string(text))] + fields) }
}
