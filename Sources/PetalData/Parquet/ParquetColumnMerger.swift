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
            return [T](unsafeUninitializedCapacity: total) { buffer, initialized in
                initialized = 0
                guard let out = buffer.baseAddress else { return }
                HugePages.advise(out, count: total)
                for c in chunks {
                    part(c).withUnsafeBufferPointer { values in
                        guard let start = values.baseAddress else { return }
                        let n = min(values.count, total - initialized)
                        (out + initialized).initialize(from: start, count: n)
                        initialized += n
                    }
                }
            }
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

    /// One dictionary for the column (`ParquetTextUnion`: each row group's dictionary entries looked up once,
    /// its rows' codes mapped through that table), checked to be UTF-8.
    static func text(_ chunks: [ParquetChunkData], total: Int, plan: ParquetColumnPlan, file: String) throws -> ColumnStorage {
        if chunks.count == 1, let only = chunks.first {
            return try storage(codes: only.codes, strings: ParquetTextUnion.strings(only.dictionary), plan: plan, file: file)
        }
        let union = ParquetTextUnion(byteCount: chunks.reduce(0) { $0 + $1.dictionary.arena.count },
                                     entries: chunks.reduce(0) { max($0, $1.dictionary.count) })
        var bad: (code: Int32, entries: Int)?
        let codes = [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            initialized = 0
            guard let out = buffer.baseAddress else { return }
            HugePages.advise(out, count: total)
            for c in chunks {
                let map = union.add(c.dictionary)
                c.codes.withUnsafeBufferPointer { src in
                    guard let src = src.baseAddress else { return }
                    let n = min(c.codes.count, total - initialized)
                    defer { initialized += n }
                    // A row group whose values are all missing has an empty dictionary; its codes are the missing
                    // rows' placeholder (0), which the merged column's validity marks missing.
                    if map.isEmpty { (out + initialized).initialize(repeating: 0, count: n); return }
                    map.withUnsafeBufferPointer { m in
                        let entries = UInt32(m.count)
                        let dst = out + initialized
                        for i in 0..<n {
                            let code = src[i]
                            if UInt32(bitPattern: code) < entries {
                                dst[i] = m[Int(code)]
                            } else {
                                if bad == nil { bad = (code, m.count) }
                                dst[i] = 0
                            }
                        }
                    }
                }
            }
        }
        if let bad {
            throw PetalError("a text value's dictionary code (\(bad.code)) is past the end of its row group's dictionary (\(bad.entries) entries)",
                            at: SourceLocation(file: file, field: plan.name), hint: "the file is damaged; write it again from its source")
        }
        return try storage(codes: codes, strings: union.strings(), plan: plan, file: file)
    }

    /// The text column's storage, or an error naming it when its dictionary is not UTF-8 (`strings` is nil).
    private static func storage(codes: [Int32], strings: [String]?, plan: ParquetColumnPlan, file: String) throws -> ColumnStorage {
        guard var dictionary = strings else {
            throw PetalError("the column holds bytes that are not UTF-8 text", at: SourceLocation(file: file, field: plan.name),
                            hint: "Petal reads text columns as UTF-8; convert or drop the binary column before saving the file")
        }
        if dictionary.isEmpty { dictionary = [""] }
        return .text(codes: codes, dictionary: TextDictionary(dictionary))
    }
}
