/// Where a record came from, so warnings can point at a value inside it.
enum JSONRecordOrigin: Sendable {
    /// Element `index` of the array at JSON path `prefix` (`$`, or `$.data` for `{"data": [...]}`).
    case element(prefix: String, index: Int)
    /// The record on line `line` of an NDJSON file.
    case line(Int)
}

/// Flattens JSON records into columns: nested objects become dotted names (`engine.cylinders`), arrays become
/// their JSON text, keys missing from a record are null, and columns keep the order in which keys first appear.
struct JSONTableBuilder: Sendable {
    let file: String
    private var columns: [JSONColumnBuilder] = []
    private var index: [String: Int] = [:]
    private(set) var rowCount = 0
    var warnings: [DataWarning] = []
    /// The keys leading to the value being added, for JSON paths in warnings.
    private var keyStack: [String] = []
    private var origin = JSONRecordOrigin.line(0)

    init(file: String) { self.file = file }

    /// Adds one record. Anything but an object is an error that names the record.
    /// - Parameter line: the line where the record starts, when known.
    mutating func addRecord(_ value: JSONValue, origin: JSONRecordOrigin, line: Int? = nil) throws {
        guard case .object(let members) = value else {
            let what: String
            var location = SourceLocation(file: file, line: line)
            switch origin {
            case .element(let prefix, let i):
                what = "record \(i + 1)"
                location.path = "\(prefix)[\(i)]"
            case .line(let l):
                what = "line \(l)"
                location.line = l
            }
            let hint = value.isArray
                ? "each record must be an object like {\"a\": 1}; lists of lists are not read as tables"
                : "each record must be an object like {\"a\": 1, \"b\": \"x\"}"
            throw PetalError("\(what) is \(value.kindDescription), not an object", at: location, hint: hint)
        }
        self.origin = origin
        add(members, prefix: "")
        rowCount += 1
    }

    private mutating func add(_ members: [(String, JSONValue)], prefix: String) {
        for (key, value) in members {
            let name = keyStack.isEmpty ? key : prefix + "." + key
            keyStack.append(key)
            defer { keyStack.removeLast() }
            switch value {
            // An empty object has no fields to become columns: it is a missing value of its own column (kept, so the
            // key does not vanish; dropped in `build` only when other records give it fields).
            case .object(let inner) where inner.isEmpty: set(name, .null, kind: nil, value: value)
            case .object(let inner): add(inner, prefix: name)
            case .null: set(name, .null, kind: nil, value: value)
            case .int(let v): set(name, .int(Int64(v)), kind: .number, value: value)
            case .number(let v): set(name, .float(v), kind: .number, value: value)
            case .bool(let v): set(name, .bool(v), kind: .bool, value: value)
            case .string(let s): set(name, nil, text: s, kind: .text, value: value)
            case .array: set(name, nil, text: value.compactText, kind: .array, value: value)
            }
        }
    }

    /// Stores one cell (or, when `cell` is nil, the dictionary code of `text`) in column `name`.
    private mutating func set(_ name: String, _ cell: JSONCell?, text: String = "", kind: JSONKind?, value: JSONValue) {
        let ci: Int
        if let i = index[name] {
            ci = i
        } else {
            ci = columns.count
            columns.append(JSONColumnBuilder(name: name))
            index[name] = ci
        }
        let location = columns[ci].needsLocation(for: kind) ? currentLocation() : nil
        let stored = cell ?? .text(columns[ci].code(for: text))
        let fresh = columns[ci].set(stored, kind: kind, row: rowCount, sample: Self.sample(value), location: location)
        if !fresh && !columns[ci].duplicateReported {
            columns[ci].duplicateReported = true
            warnings.append(DataWarning("the key \"\(name)\" appears more than once in a record; the last value is kept",
                                        at: currentLocation()))
        }
    }

    /// The location of the value being added: a JSON path, or an NDJSON line and dotted field name.
    private func currentLocation() -> SourceLocation {
        switch origin {
        case .element(let prefix, let i):
            return SourceLocation(file: file, path: "\(prefix)[\(i)]" + Self.pathSuffix(keyStack))
        case .line(let l):
            return SourceLocation(file: file, line: l, field: keyStack.joined(separator: "."))
        }
    }

    /// `.engine.cylinders`, or `["odd key"]` for keys that are not plain identifiers.
    static func pathSuffix(_ keys: [String]) -> String {
        var out = ""
        for key in keys {
            let plain = !key.isEmpty && key.utf8.allSatisfy { b in
                (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
            } && !(key.utf8.first.map { $0 >= 0x30 && $0 <= 0x39 } ?? false)
            if plain {
                out += "." + key
            } else {
                out += "["
                out += JSONText.string(key)
                out += "]"
            }
        }
        return out
    }

    /// A short rendering of a value for messages: `"n/a"`, `130`, `[1,2]`.
    static func sample(_ value: JSONValue) -> String {
        let text = value.compactText
        guard text.count > 40 else { return text }
        return String(text.prefix(37)) + "..."
    }

    /// The frame, with warnings for arrays, mixed types, repeated keys and renamed columns.
    /// - Throws: when the records hold no fields at all.
    mutating func build() throws -> (Frame, [DataWarning]) {
        var names = Set(columns.map(\.name))
        var built: [Column] = []
        var used = Set<String>()
        for (i, column) in columns.enumerated() {
            // {"engine": null} in one record and {"engine": {...}} in others: the all-null parent adds nothing.
            if column.isAllNull && names.contains(where: { $0.hasPrefix(column.name + ".") }) {
                names.remove(column.name)
                continue
            }
            var name = column.name
            if name.isEmpty || name.hasPrefix(".") || name.hasSuffix(".") || used.contains(name) {
                var base = name.isEmpty ? "unnamed_\(i + 1)" : name
                if base.hasPrefix(".") { base = "unnamed" + base }
                if base.hasSuffix(".") { base += "unnamed" }
                var candidate = base
                var k = 2
                while used.contains(candidate) || (candidate != name && names.contains(candidate)) {
                    candidate = "\(base)_\(k)"; k += 1
                }
                warnings.append(DataWarning("a key has an empty or clashing name \"\(name)\"; calling the column \(candidate)",
                                            at: SourceLocation(file: file, field: name)))
                name = candidate
            }
            used.insert(name)
            built.append(column.build(columnName: name, rowCount: rowCount, warnings: &warnings))
        }
        guard !built.isEmpty else {
            let what = rowCount == 1 ? "the record has" : "the \(rowCount) records have"
            throw PetalError("\(what) no fields", at: SourceLocation(file: file),
                            hint: "each record should be an object with fields, like {\"a\": 1, \"b\": \"x\"}")
        }
        return (try Frame(columns: built), warnings)
    }
}
