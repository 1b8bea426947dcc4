/// What a key does in the data table (`TableView.handle` switches over every case).
enum TableAction: CaseIterable, Sendable {
    case down, up, pageDown, pageUp, firstRow, lastRow, right, left, firstColumn, lastColumn
    case open, counts, describe, rowDetail, columnLeft, columnRight, hideColumn, showColumns, widen, narrow
    case sortAscending, sortDescending, search, nextMatch, previousMatch, goToRow
}

/// The data table's keys, declared once with their help: `TableView.handle` finds a key's action here, and the
/// help view (F1) lists these lines, so a key cannot work without being documented (a test checks every action
/// has a key).
struct TableKeys: Sendable {
    /// How help writes the keys (`← ↓ ↑ → / h j k l`).
    let label: String
    let help: String
    let bindings: [(key: Key, action: TableAction)]

    static let all: [TableKeys] = [
        TableKeys(label: "← ↓ ↑ → / h j k l", help: "move the cursor",
                  bindings: [(.down, .down), (.character("j"), .down), (.scrollDown, .down), (.up, .up), (.character("k"), .up), (.scrollUp, .up),
                             (.right, .right), (.character("l"), .right), (.left, .left), (.character("h"), .left)]),
        TableKeys(label: "PgUp PgDn", help: "a page up or down",
                  bindings: [(.pageUp, .pageUp), (.control("b"), .pageUp), (.pageDown, .pageDown), (.control("f"), .pageDown)]),
        TableKeys(label: "g G", help: "first or last row", bindings: [(.character("g"), .firstRow), (.character("G"), .lastRow)]),
        TableKeys(label: "Home End (0 $)", help: "first or last column",
                  bindings: [(.home, .firstColumn), (.character("0"), .firstColumn), (.end, .lastColumn), (.character("$"), .lastColumn)]),
        TableKeys(label: "Enter", help: "histogram of the column (counts for text; a form's rows: the row in the form)", bindings: [(.enter, .open)]),
        TableKeys(label: "F", help: "value counts of the column", bindings: [(.character("F"), .counts)]),
        TableKeys(label: "I", help: "describe the data set", bindings: [(.character("I"), .describe)]),
        TableKeys(label: "[ ]", help: "sort by the column, ascending or descending",
                  bindings: [(.character("["), .sortAscending), (.character("]"), .sortDescending)]),
        TableKeys(label: "/  n N", help: "search the column; next, previous match",
                  bindings: [(.character("/"), .search), (.character("n"), .nextMatch), (.character("N"), .previousMatch)]),
        TableKeys(label: "#", help: "go to a row number", bindings: [(.character("#"), .goToRow)]),
        TableKeys(label: "_ -", help: "widen the column to its widest value; narrow it", bindings: [(.character("_"), .widen), (.character("-"), .narrow)]),
        TableKeys(label: "H L, X, V", help: "move the column left/right, hide it, show hidden columns (this view only)",
                  bindings: [(.character("H"), .columnLeft), (.character("L"), .columnRight), (.character("X"), .hideColumn), (.character("V"), .showColumns)]),
        TableKeys(label: "o", help: "the row on a page, every value whole", bindings: [(.character("o"), .rowDetail)]),
    ]

    /// The action of `key`, if the table has one.
    static func action(for key: Key) -> TableAction? {
        for line in all { if let b = line.bindings.first(where: { $0.key == key }) { return b.action } }
        return nil
    }

    /// The lines of the help view.
    static var hints: [KeyHint] { all.map { KeyHint($0.label, $0.help) } }
}
