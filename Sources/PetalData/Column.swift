/// The logical type of a column, as users see it in headers and `describe`.
public enum ColumnType: String, Sendable, Hashable, CaseIterable, Codable {
    case int, float, bool, date, datetime, text

    /// True for types whose values are numbers (statistics, correlation, histograms).
    public var isNumeric: Bool { self == .int || self == .float }

    /// Parses a user-written type name (`int`, `float`, `double`, `bool`, `date`, `datetime`, `text`, `str`, ...).
    public init?(userName: String) {
        switch userName.lowercased() {
        case "int", "integer", "int64": self = .int
        case "float", "double", "number", "float64", "real": self = .float
        case "bool", "boolean": self = .bool
        case "date": self = .date
        case "datetime", "timestamp", "time": self = .datetime
        case "text", "str", "string", "category", "object": self = .text
        default: return nil
        }
    }
}

/// Contiguous typed storage for one column. Nulls live in the column's validity bitmap; the slot of a null
/// holds an unspecified value.
public enum ColumnStorage: Sendable {
    case int([Int64])
    case float([Double])
    case bool([Bool])
    /// Microseconds since 1970-01-01T00:00:00Z; `dateOnly` when the source had dates without times.
    case datetime([Int64], dateOnly: Bool)
    /// Dictionary-encoded strings: `codes[i]` indexes `dictionary` (Strings, or packed UTF-8 from the CSV
    /// reader: see `TextDictionary`).
    case text(codes: [Int32], dictionary: TextDictionary)
}

/// A named column: typed contiguous storage plus a validity bitmap (nil when no value is null).
public struct Column: Sendable {
    public var name: String
    public private(set) var storage: ColumnStorage
    public private(set) var validity: Bitmap?

    /// Creates a column. A validity bitmap with every bit set is dropped.
    public init(name: String, storage: ColumnStorage, validity: Bitmap? = nil) {
        self.name = name
        self.storage = storage
        if let validity, !validity.isAllSet { self.validity = validity } else { self.validity = nil }
    }

    public var count: Int {
        switch storage {
        case .int(let v): return v.count
        case .float(let v): return v.count
        case .bool(let v): return v.count
        case .datetime(let v, _): return v.count
        case .text(let codes, _): return codes.count
        }
    }

    public var type: ColumnType {
        switch storage {
        case .int: return .int
        case .float: return .float
        case .bool: return .bool
        case .datetime(_, let dateOnly): return dateOnly ? .date : .datetime
        case .text: return .text
        }
    }

    /// True when row `index` holds a value (a NaN in a float column counts as null, as in pandas).
    @inline(__always)
    public func isValid(_ index: Int) -> Bool {
        if let validity, !validity[index] { return false }
        if case .float(let v) = storage, v[index].isNaN { return false }
        return true
    }

    /// The number of nulls (including NaN in float columns).
    public var nullCount: Int {
        var nulls = validity.map { $0.count - $0.nonzeroCount } ?? 0
        if case .float(let v) = storage {
            if let validity {
                for i in v.indices where v[i].isNaN && validity[i] { nulls += 1 }
            } else {
                nulls += NaNScan.count(v)
            }
        }
        return nulls
    }

    /// The value at `index`, or `.null`. Indices must be in `0..<count` (callers check user-supplied ones).
    public subscript(index: Int) -> Value {
        guard isValid(index) else { return .null }
        switch storage {
        case .int(let v): return .int(v[index])
        case .float(let v): return .float(v[index])
        case .bool(let v): return .bool(v[index])
        case .datetime(let v, let dateOnly): return .datetime(v[index], dateOnly: dateOnly)
        case .text(let codes, let dictionary): return .text(dictionary[Int(codes[index])])
        }
    }

    /// The non-null values as doubles, for numeric and boolean columns; nil for other types.
    public func doubles() -> [Double]? {
        var out: [Double] = []
        switch storage {
        case .int(let v):
            out.reserveCapacity(v.count)
            if let validity { for i in v.indices where validity[i] { out.append(Double(v[i])) } } else { out = v.map(Double.init) }
        case .float(let v):
            out.reserveCapacity(v.count)
            for i in v.indices where !v[i].isNaN && (validity?[i] ?? true) { out.append(v[i]) }
        case .bool(let v):
            for i in v.indices where validity?[i] ?? true { out.append(v[i] ? 1 : 0) }
        case .datetime(let v, _):
            for i in v.indices where validity?[i] ?? true { out.append(Double(v[i])) }
        case .text:
            return nil
        }
        return out
    }

    /// Every row as a double with NaN for nulls (numeric, bool and datetime columns); nil for text.
    public func doublesWithNaN() -> [Double]? {
        switch storage {
        case .int(let v):
            var out = v.map(Double.init)
            if let validity { for i in out.indices where !validity[i] { out[i] = .nan } }
            return out
        case .float(let v):
            guard let validity else { return v }
            var out = v
            for i in out.indices where !validity[i] { out[i] = .nan }
            return out
        case .bool(let v):
            var out = v.map { $0 ? 1.0 : 0.0 }
            if let validity { for i in out.indices where !validity[i] { out[i] = .nan } }
            return out
        case .datetime(let v, _):
            var out = v.map(Double.init)
            if let validity { for i in out.indices where !validity[i] { out[i] = .nan } }
            return out
        case .text:
            return nil
        }
    }

    /// Bytes held by the column's storage (values, dictionary strings and bitmap), for memory reports.
    public var storageBytes: Int {
        let bitmapBytes = (validity?.words.count ?? 0) * 8
        switch storage {
        case .int(let v): return v.count * 8 + bitmapBytes
        case .float(let v): return v.count * 8 + bitmapBytes
        case .bool(let v): return v.count + bitmapBytes
        case .datetime(let v, _): return v.count * 8 + bitmapBytes
        case .text(let codes, let dictionary):
            return codes.count * 4 + dictionary.storageBytes + bitmapBytes
        }
    }
}

extension Column {
    /// The distinct non-null values. A text column is read through its dictionary codes (one flag per dictionary
    /// entry), so no string is made per row.
    public func distinctValues() -> Set<Value> { distinctValues(in: nil) }

    /// The distinct non-null values of rows `rows` (every row when nil; indices must be in `0..<count`). A text
    /// column marks the dictionary entries its rows use, without a `Value` or `String` per row.
    public func distinctValues(in rows: [Int]?) -> Set<Value> {
        if case .text(let codes, let dictionary) = storage {
            var used = [Bool](repeating: false, count: dictionary.count)
            func mark(_ i: Int) {
                let c = Int(codes[i])
                if used.indices.contains(c) { used[c] = true }
            }
            if let rows { for i in rows where isValid(i) { mark(i) } } else { for i in codes.indices where isValid(i) { mark(i) } }
            return Set(used.indices.filter { used[$0] }.map { Value.text(dictionary[$0]) })
        }
        var out = Set<Value>()
        if let rows { for i in rows where isValid(i) { out.insert(self[i]) } } else { for i in 0..<count where isValid(i) { out.insert(self[i]) } }
        return out
    }

    /// For a text column, each dictionary entry's rank in String order (entries equal as Strings share one), so
    /// rows sort by their codes without making a String per comparison; nil for other types.
    public func textRanks() -> [Int]? {
        guard case .text(_, let dictionary) = storage else { return nil }
        let strings = dictionary.strings
        let order = strings.indices.sorted { strings[$0] < strings[$1] }
        var rank = [Int](repeating: 0, count: strings.count)
        var r = 0
        for (k, c) in order.enumerated() {
            if k > 0 && strings[order[k - 1]] < strings[c] { r = k }
            rank[c] = r
        }
        return rank
    }
}
