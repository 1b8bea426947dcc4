/// What to do with a line whose number of fields differs from the header's.
public enum BadLinePolicy: String, Sendable, CaseIterable {
    /// Stop and report the line (the default).
    case error
    /// Drop the line silently.
    case skip
    /// Drop the line and report it as a warning.
    case warn
}

/// Options for reading delimited text. Every field mirrors an `open` option (`sep=`, `header=`, ...).
public struct CSVOptions: Sendable {
    /// The field delimiter; nil sniffs it from the first lines (`,`, tab, `;` or `|`).
    public var delimiter: UInt8?
    /// Whether the first record names the columns.
    public var hasHeader = true
    /// Column types forced by the user, by column name.
    public var types: [String: ColumnType] = [:]
    public var onBadLines: BadLinePolicy = .error
    /// A thousands separator to ignore inside numbers (`thousands=,`), or nil.
    public var thousands: UInt8?
    /// The decimal mark (`decimal=,` for European files).
    public var decimal: UInt8 = UInt8(ascii: ".")
    /// Extra strings that mean "missing", besides the defaults.
    public var extraMissing: [String] = []
    /// Treat the input as Latin-1 and convert it to UTF-8 (`encoding=latin1`).
    public var latin1 = false
    /// How many threads may parse at once; nil uses every core.
    public var threads: Int?
    /// Progress reporting and cancellation, when the caller wants them.
    public var control: LoadControl?

    public init() {}
}
