import PetalData
import PetalSession

/// VisiData's column keys, on the view only (the data set is unchanged, so `hist`, `counts` and `fit` still see
/// every column): `H`/`L` move the cursor's column left/right, `X` hides it, `V` shows the hidden ones again.
extension TableView {
    /// `H` / `L`: swaps the cursor's column with its neighbour; the cursor moves with it.
    mutating func moveCurrentColumn(by delta: Int, rect: Rect) -> ViewResponse {
        let target = column + delta
        guard frame.columns.indices.contains(column), frame.columns.indices.contains(target) else { return .handled }
        var columns = frame.columns
        columns.swapAt(column, target)
        guard let moved = try? Frame(columns: columns) else { return .handled }
        frame = moved
        baseWidths.swapAt(column, target)
        decimals.swapAt(column, target)
        let a = chosenWidths[column], b = chosenWidths[target]
        chosenWidths[column] = b
        chosenWidths[target] = a
        if let s = sortState { sortState = (s.column == column ? target : s.column == target ? column : s.column, s.ascending) }
        moveColumn(by: delta, rect: rect)
        return .handled
    }

    /// `X`: hides the cursor's column from this view (not from the data set).
    mutating func hideCurrentColumn(rect: Rect) -> ViewResponse {
        guard frame.columns.count > 1, let c = frame.columns[safe: column] else { return .message("the last column cannot be hidden") }
        var columns = frame.columns
        columns.remove(at: column)
        guard let rest = try? Frame(columns: columns) else { return .handled }
        hidden.append((c, baseWidths[column], decimals[column]))
        frame = rest
        baseWidths.remove(at: column)
        decimals.remove(at: column)
        chosenWidths = [:]
        if let s = sortState { sortState = s.column == column ? nil : (s.column > column ? s.column - 1 : s.column, s.ascending) }
        column = min(column, frame.columns.count - 1)
        leftColumn = min(leftColumn, column)
        return .message("hid \(c.name) from this view (V shows hidden columns again)")
    }

    /// `V`: shows the hidden columns again, at the right.
    mutating func showHiddenColumns() -> ViewResponse {
        guard !hidden.isEmpty else { return .message("no hidden columns") }
        guard let all = try? Frame(columns: frame.columns + hidden.map(\.column)) else { return .handled }
        frame = all
        baseWidths += hidden.map(\.width)
        decimals += hidden.map(\.decimals)
        let names = hidden.map(\.column.name)
        hidden = []
        return .message("shown again: " + names.joined(separator: ", "))
    }
}
