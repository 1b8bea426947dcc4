import Foundation

/// Joins one column's chunks (one per row group) into a Petal column; columns are joined in parallel.
enum ParquetColumnMerger {
    static func merge(_ chunks: [[ParquetChunkData]], plans: [ParquetColumnPlan], file: String) throws -> [Column] {
        let box = ConcurrentSlots<Result<Column, any Error>>(plans.count)
        DispatchQueue.concurrentPerform(iterations: plans.count) { c in
            box.set(c, Result { try merge(chunks[c], plan: plans[c], file: file) })
        }
        return try box.slots.map { slot in
            guard let slot else { throw PetalError("a column could not be read", at: SourceLocation(file: file)) }
            return try slot.get()
        }
    }

    static func merge(_ chunks: [ParquetChunkData], plan: ParquetColumnPlan, file: String) throws -> Column {
        let total = chunks.reduce(0) { $0 + $1.count }
        var validity: Bitmap?
        if chunks.contains(where: { $0.validity != nil }) {
            var v = Bitmap(count: 0, value: false)
            v.reserveCapacity(total)
            for c in chunks { v.append(contentsOf: c.validity ?? Bitmap(count: c.count, value: true)) }
            validity = v
        }
        func joined<T>(_ part: (ParquetChunkData) -> [T]) -> [T] {
            if chunks.count == 1, let only = chunks.first { return part(only) }
            var out: [T] = []
            out.reserveCapacity(total)
            for c in chunks { out += part(c) }
            return out
        }
        let storage: ColumnStorage
        switch plan.type {
        case .int: storage = .int(joined(\.ints))
        case .float:
            // Decimals arrive as integers and become doubles in `convert`; FLOAT/DOUBLE as doubles.
            storage = .float(joined(\.doubles))
        case .bool: storage = .bool(joined(\.bools))
        case .date: storage = .datetime(joined(\.ints), dateOnly: true)
        case .datetime: storage = .datetime(joined(\.ints), dateOnly: false)
        case .text: storage = try text(chunks, total: total, plan: plan, file: file)
        }
        return Column(name: plan.name, storage: storage, validity: validity)
    }

    /// One dictionary for the column (the chunks' dictionaries merged), checked to be UTF-8.
    static func text(_ chunks: [ParquetChunkData], total: Int, plan: ParquetColumnPlan, file: String) throws -> ColumnStorage {
        let merged: ByteDictionary
        var codes: [Int32]
        if chunks.count == 1, let only = chunks.first {
            merged = only.dictionary
            codes = only.codes
        } else {
            merged = ByteDictionary()
            codes = []
            codes.reserveCapacity(total)
            for c in chunks {
                let map = merged.merge(c.dictionary)
                if map.isEmpty {
                    // A row group whose values are all missing has an empty dictionary; its codes are the missing
                    // rows' placeholder (0), which the merged column's validity marks missing.
                    codes += repeatElement(0, count: c.codes.count)
                    continue
                }
                for code in c.codes {
                    guard code >= 0, Int(code) < map.count else {
                        throw PetalError("a text value's dictionary code (\(code)) is past the end of its row group's dictionary (\(map.count) entries)",
                                        at: SourceLocation(file: file, field: plan.name), hint: "the file is damaged; write it again from its source")
                    }
                    codes.append(map[Int(code)])
                }
            }
        }
        var dictionary: [String] = []
        dictionary.reserveCapacity(merged.count)
        for i in 0..<merged.count {
            guard let s = String(validating: merged.bytes(i), as: UTF8.self) else {
                throw PetalError("the column holds bytes that are not UTF-8 text", at: SourceLocation(file: file, field: plan.name),
                                hint: "Petal reads text columns as UTF-8; convert or drop the binary column before saving the file")
            }
            dictionary.append(s)
        }
        if dictionary.isEmpty { dictionary = [""] }
        return .text(codes: codes, dictionary: dictionary)
    }
}
