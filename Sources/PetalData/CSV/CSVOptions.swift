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
    /// Read only the columns with these names (pandas' `usecols`): the others are scanned past, never parsed or
    /// kept. Names the file does not have are not an error here — the caller checks what it needs (e.g.
    /// `petal predict --predictions-only` reads only a model's inputs, and its schema check names a missing one).
    /// nil reads every column.
    public var onlyColumns: Set<String>?

    public init() {}
}

extension CSVOptions {
    /// Refuses options that would read numbers or fields wrongly: the delimiter, thousands separator and decimal
    /// mark must differ from each other (`thousands=. decimal=.` would read 5.1 as 51), and none may be a quote or a
    /// line end.
    /// - Throws: `PetalError` naming the options that clash.
    public func validate() throws {
        let named: [(String, UInt8?)] = [("sep", delimiter), ("thousands", thousands), ("decimal", decimal)]
        for (name, byte) in named {
            guard let byte else { continue }
            if byte == 0x22 || byte == 0x0A || byte == 0x0D {
                throw PetalError("\(name)=\(CSVOptions.shown(byte)) cannot be used: it is a quote or a line end",
                                hint: "pick another character, e.g. \(name == "decimal" ? "decimal=," : name == "sep" ? "sep=; or sep=tab" : "thousands=_")")
            }
        }
        for i in named.indices {
            for j in named.indices where j > i {
                guard let a = named[i].1, let b = named[j].1, a == b else { continue }
                throw PetalError("\(named[i].0)= and \(named[j].0)= are both \(CSVOptions.shown(a)), so numbers would be misread",
                                hint: "give them different characters, e.g. thousands=. decimal=, for 1.234,5")
            }
        }
    }

    /// A byte as a user would write it in a message: the character, or its escape (`\n`, `\t`) or hex code.
    public static func shown(_ byte: UInt8) -> String {
        switch byte {
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "tab"
        case 0x20: return "space"
        case 0x21...0x7E: return String(UnicodeScalar(byte))
        default: return "byte 0x" + String(byte, radix: 16, uppercase: true)
        }
    }
}
