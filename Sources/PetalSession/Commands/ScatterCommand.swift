import PetalData

/// `scatter NAME.X NAME.Y [by=COL]` and `scatter NAME [columns=a,b,c] [by=COL]`: a scatter plot of two numeric
/// columns in braille dots, or a scatter matrix of up to five, coloured by class in the workbench.
public enum ScatterCommand: PetalCommand {
    public static let name = "scatter"
    public static let syntax = "scatter NAME.X NAME.Y [by=COL] | scatter NAME [columns=a,b,…] [by=COL]"
    public static let summary = "a scatter plot of two numeric columns, or a scatter matrix of up to five"
    static let by = CommandOption("by", placeholder: "COL",
                                  help: "colour dots by this class column (default: the target of the last fit on the data set)")
    static let columns = CommandOption("columns", placeholder: "a,b,c", help: "the matrix's 2 to 5 numeric columns (default: the first four)")
    public static let options = [by, columns]
    public static let help = """
        Draws each row as a dot (braille: 2×4 dots per character cell). by=COL colours dots by a class
        column; without it, the target of the last fit on the data set is used when there is one.
        The matrix form plots every pair of up to five numeric columns (default: the first four).
        Examples:
          scatter iris.petal_length iris.petal_width by=variety
          scatter iris columns=sepal_length,petal_length,petal_width
        """

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let first = try args.required(0, "a data set or NAME.X", syntax: syntax)
        try args.checkPositional(max: 2, syntax: syntax)
        var names: [String]
        let d: Dataset
        if let second = args.positional[safe: 1] {
            let (dx, cx) = try session.column(first, syntax: syntax)
            let (dy, cy) = try session.column(second, syntax: syntax)
            guard dx.name == dy.name else {
                throw PetalError("\(first) and \(second) come from different data sets", hint: "plot two columns of one data set")
            }
            d = dx
            names = [cx.name, cy.name]
        } else {
            d = try session.dataset(first)
            if let list = args.text(Self.columns) {
                names = list.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            } else {
                names = Array(d.frame.columns.filter { $0.type.isNumeric }.prefix(4).map(\.name))
            }
            guard names.count >= 2, names.count <= 5 else {
                throw PetalError("a scatter matrix needs 2 to 5 numeric columns, not \(names.count)",
                                hint: "columns=a,b,c names them, e.g. columns=\(d.frame.columns.filter { $0.type.isNumeric }.prefix(3).map(\.name).joined(separator: ","))")
            }
        }
        var values: [[Double]] = []
        for n in names {
            let c = try d.frame.requireColumn(n, dataset: d.name)
            guard c.type.isNumeric, let v = c.doublesWithNaN() else {
                throw PetalError("column \(n) is \(c.type.rawValue), not numeric", hint: "scatter plots numeric columns; counts \(d.name).\(n) shows text")
            }
            values.append(v)
        }
        var classNames: [String] = []
        var classes: [Int] = []
        if let by = args.text(Self.by) ?? session.knownTarget(for: d.name) {
            let c = try d.frame.requireColumn(by, dataset: d.name)
            (classNames, classes) = ClassCodes.of(c)
        }
        return ScatterOutput(dataset: d.name, columns: names, values: values, classColumn: classes.isEmpty ? nil : args.text(Self.by) ?? session.knownTarget(for: d.name),
                             classNames: classNames, classes: classes)
    }
}

/// Class codes for colouring: each distinct value of a column (text or few integers) gets an index by first
/// appearance order sorted by name; nulls get -1.
public enum ClassCodes {
    public static func of(_ column: Column, limit: Int = 12) -> (names: [String], codes: [Int]) {
        var index: [String: Int] = [:]
        var raw: [String?] = (0..<column.count).map { column.isValid($0) ? column[$0].plainText : nil }
        let distinct = Set(raw.compactMap { $0 }).sorted()
        guard distinct.count <= limit else { raw = []; return ([], []) }
        for (k, n) in distinct.enumerated() { index[n] = k }
        return (distinct, raw.map { $0.flatMap { index[$0] } ?? -1 })
    }
}
