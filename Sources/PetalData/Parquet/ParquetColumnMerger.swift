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

    /// One dictionary for the column, as the CSV reader merges its chunks': the first row group's `TextInterner`
    /// is taken over as is (its codes stand), and each later one's distinct values are looked up once in it
    /// (`TextInterner.merge`), its rows' codes mapped through the result. Codes are in order of first appearance
    /// row group by row group, so the column is the same whatever order the row groups were decoded in.
    static func text(_ chunks: [ParquetChunkData], total: Int, plan: ParquetColumnPlan, file: String) throws -> ColumnStorage {
        guard let merged = chunks.first?.dictionary else { return try storage(codes: [], dictionary: TextInterner(), plan: plan, file: file) }
        if chunks.count == 1 { return try storage(codes: chunks[0].codes, dictionary: merged, plan: plan, file: file) }
        var bad: (code: Int32, entries: Int)?
        let codes = [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
            initialized = 0
            guard let out = buffer.baseAddress else { return }
            for (k, c) in chunks.enumerated() {
                // The first row group's codes are the merged dictionary's (a missing row's placeholder 0 included).
                let map = k == 0 ? [] : merged.merge(c.dictionary)
                c.codes.withUnsafeBufferPointer { src in
                    guard let src = src.baseAddress else { return }
                    let n = min(c.codes.count, total - initialized)
                    defer { initialized += n }
                    let dst = out + initialized
                    if k == 0 { dst.initialize(from: src, count: n); return }
                    // A row group whose values are all missing has an empty dictionary; its codes are the missing
                    // rows' placeholder (0), which the merged column's validity marks missing.
                    if map.isEmpty { dst.initialize(repeating: 0, count: n); return }
                    map.withUnsafeBufferPointer { m in
                        let entries = UInt32(m.count)
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
        return try storage(codes: codes, dictionary: merged, plan: plan, file: file)
    }

    /// The text column's storage, or an error naming it when a value of its dictionary is not UTF-8. The
    /// interner's bytes and bounds become the dictionary as they are (no String per value), as the CSV reader's.
    private static func storage(codes: [Int32], dictionary values: TextInterner, plan: ParquetColumnPlan, file: String) throws -> ColumnStorage {
        guard values.firstInvalidUTF8() == nil else {
            throw PetalError("the column holds bytes that are not UTF-8 text", at: SourceLocation(file: file, field: plan.name),
                            hint: "Petal reads text columns as UTF-8; convert or drop the binary column before saving the file")
        }
        return .text(codes: codes, dictionary: values.count == 0 ? [""] : TextDictionary(packed: values.packed()))
    }
}
