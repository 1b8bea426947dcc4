import PetalData

extension Column {
    /// The rows of `columns` one after another. They must share one type (a feature group's stored rows and a
    /// batch conformed to its schema do); text dictionaries are merged.
    public static func concatenating(_ columns: [Column]) throws -> Column {
        guard let first = columns.first else { throw PetalError("nothing to concatenate") }
        for c in columns where c.type != first.type {
            throw PetalError("column \(first.name) is \(first.type.rawValue) in one part and \(c.type.rawValue) in another")
        }
        let validity = Bitmap(columns.flatMap { c in (0..<c.count).map { c.isValid($0) } })
        let storage: ColumnStorage
        switch first.storage {
        case .int: storage = .int(columns.flatMap { c -> [Int64] in if case .int(let v) = c.storage { return v }; return [] })
        case .float: storage = .float(columns.flatMap { c -> [Double] in if case .float(let v) = c.storage { return v }; return [] })
        case .bool: storage = .bool(columns.flatMap { c -> [Bool] in if case .bool(let v) = c.storage { return v }; return [] })
        case .datetime(_, let dateOnly):
            storage = .datetime(columns.flatMap { c -> [Int64] in if case .datetime(let v, _) = c.storage { return v }; return [] }, dateOnly: dateOnly)
        case .text:
            var encoder = DictionaryEncoder()
            var codes: [Int32] = []
            for c in columns {
                guard case .text(let cs, let dictionary) = c.storage else { continue }
                let map = dictionary.map { encoder.code(for: $0) }
                codes += cs.map { map.indices.contains(Int($0)) ? map[Int($0)] : 0 }
            }
            storage = .text(codes: codes, dictionary: TextDictionary(encoder.dictionary.isEmpty ? [""] : encoder.dictionary))
        }
        return Column(name: first.name, storage: storage, validity: validity)
    }
}
