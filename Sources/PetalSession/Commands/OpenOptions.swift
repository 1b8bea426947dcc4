import PetalData

/// One option of `open`: its declaration (for the option check, `help open` and completion) and what its value sets
/// in the `LoadOptions` every source reads. `ReaderOptions.all` is the one list of them.
struct ReaderOption: Sendable {
    let option: CommandOption
    /// Sets the value into the options; `name` is the name the user wrote, for errors.
    let apply: @Sendable (_ value: String, _ name: String, _ options: inout LoadOptions) throws -> Void
}

/// The reader options of `open`, in the order `help open` lists them.
enum ReaderOptions {
    static let all: [ReaderOption] = [
        ReaderOption(option: CommandOption("sep", placeholder: "\";\"", help: "the delimiter (or sep=semicolon, tab, pipe, space); sniffed when absent")) { v, _, o in
            o.csv.delimiter = try delimiter(v)
        },
        ReaderOption(option: CommandOption("header", .flag, default: String(CSVOptions().hasHeader),
                                           help: "false: the first line is data; columns are named column_1, column_2, …")) { v, name, o in
            guard let header = Arguments.truth(v) else { throw PetalError("\(name)=\(v.lowercased()) should be true or false") }
            o.csv.hasHeader = header
        },
        ReaderOption(option: CommandOption("types", placeholder: "a:int,b:text",
                                           help: "force column types (int, float, bool, date, datetime, text)")) { v, _, o in
            for part in v.split(separator: ",") {
                let pieces = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pieces.count == 2, let t = ColumnType(userName: pieces[1]) else {
                    throw PetalError("types= takes column:type pairs, got \"\(part)\"",
                                    hint: "for example types=year:int,island:text (types: int, float, bool, date, datetime, text)")
                }
                o.csv.types[pieces[0]] = t
            }
        },
        ReaderOption(option: CommandOption("on_bad_lines", .choice(BadLinePolicy.allCases.map(\.rawValue)), default: BadLinePolicy.error.rawValue,
                                           help: "lines with the wrong number of fields: stop, drop them (skip), or drop and report them (warn)")) { v, name, o in
            guard let p = BadLinePolicy(rawValue: v.lowercased()) else {
                throw PetalError("\(name)=\(v) is not " + BadLinePolicy.allCases.map(\.rawValue).dropLast().joined(separator: ", ")
                                 + " or " + (BadLinePolicy.allCases.last?.rawValue ?? ""))
            }
            o.csv.onBadLines = p
        },
        ReaderOption(option: CommandOption("thousands", placeholder: "\",\"", help: "ignore a thousands separator inside numbers")) { v, _, o in
            o.csv.thousands = try singleByte(v, option: "thousands")
        },
        ReaderOption(option: CommandOption("decimal", placeholder: "\",\"", help: "the decimal mark, for 3,14")) { v, _, o in
            o.csv.decimal = try singleByte(v, option: "decimal")
        },
        ReaderOption(option: CommandOption("encoding", .choice(["utf8", "latin1"]), default: "utf8",
                                           help: "latin1 reads a Latin-1 / Windows-1252 file (also utf-8, latin-1, iso-8859-1, cp1252, windows-1252)")) { v, _, o in
            switch v.lowercased() {
            case "utf8", "utf-8": o.csv.latin1 = false
            case "latin1", "latin-1", "iso-8859-1", "cp1252", "windows-1252": o.csv.latin1 = true
            default: throw PetalError("encoding=\(v.lowercased()) is not supported", hint: "use encoding=utf8 or encoding=latin1")
            }
        },
        ReaderOption(option: CommandOption("na", placeholder: "-,?",
                                           help: "extra strings that mean \"missing\" (besides empty, NA, N/A, NaN, null, None)")) { v, _, o in
            o.csv.extraMissing = v.split(separator: ",").map(String.init)
        },
        ReaderOption(option: CommandOption("table", placeholder: "T", help: "a SQLite or PostgreSQL table (schema.T)")) { v, _, o in o.table = v },
        ReaderOption(option: CommandOption("query", placeholder: "\"SELECT …\"", help: "a SQL query (needs as NAME)")) { v, _, o in o.query = v },
        ReaderOption(option: CommandOption("format", .choice(Loaders.all.map(\.formatName)),
                                           help: "the reader, overriding the extension and the content")) { v, _, o in o.format = v },
    ]

    /// `open`'s options, as the command declares them.
    static var options: [CommandOption] { all.map(\.option) }

    /// The load options `args` ask for, checked.
    static func loadOptions(_ args: Arguments) throws -> LoadOptions {
        var o = LoadOptions()
        for reader in all {
            if let value = args.text(reader.option) { try reader.apply(value, args.written(reader.option), &o) }
        }
        try o.csv.validate()
        if o.query != nil && args.alias == nil {
            throw PetalError("a query needs a name for its result", hint: "add as NAME, e.g. open data.db query=\"SELECT …\" as result")
        }
        return o
    }

    static func delimiter(_ text: String) throws -> UInt8 {
        switch text.lowercased() {
        case "tab", "\\t", "\t": return 0x09
        case "comma": return 0x2C
        case "semicolon": return 0x3B
        case "pipe": return 0x7C
        case "space": return 0x20
        default: return try singleByte(text, option: "sep")
        }
    }

    static func singleByte(_ text: String, option: String) throws -> UInt8 {
        let bytes = Array(text.utf8)
        guard bytes.count == 1, let b = bytes.first, b != 0x22, b != 0x0A, b != 0x0D else {
            // Shown escaped: a raw newline or control character would break the message.
            let shown = bytes.count == 1 ? CSVOptions.shown(bytes[0]) : Quote.escapedForMessage(text)
            throw PetalError("\(option)=\(shown) must be one character other than a quote or a line end",
                            hint: "for example \(option)=\(option == "decimal" ? "\",\"" : "\";\"")\(option == "sep" ? " (or semicolon, tab, pipe, space)" : "")")
        }
        return b
    }
}
