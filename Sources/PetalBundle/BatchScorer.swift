import Foundation
import PetalData
import PetalML

/// Batch scoring for `petal predict`: checks the whole input against the schema first, then scores it chunk by
/// chunk and streams each chunk's rows out (CSV, TSV or NDJSON) as soon as they are ready, formatting the
/// rows of a chunk on every core.
public struct BatchScorer: Sendable {
    public enum Format: String, Sendable { case csv, tsv, ndjson }

    public var bundle: ServingBundle
    public var format: Format
    /// Write only the prediction columns (not the input columns before them).
    public var predictionsOnly = false
    public var chunkRows = 65_536

    public init(bundle: ServingBundle, format: Format, predictionsOnly: Bool = false) {
        self.bundle = bundle; self.format = format; self.predictionsOnly = predictionsOnly
    }

    /// The output format for a path's extension (csv when nil or without one), from the format registry.
    public static func format(for path: String?) throws -> Format {
        guard let path, !(path as NSString).pathExtension.isEmpty else { return .csv }
        guard let name = Loaders.entry(forExtensionOf: path)?.formatName, let format = Format(rawValue: name) else {
            throw PetalError("petal predict writes .csv, .tsv or .ndjson, not \"\(path)\"", hint: "for example -o predicted.csv")
        }
        return format
    }

    /// The output column names: the input's (unless `predictionsOnly`), then the predictions
    /// (`predicted` and `p_<class>`, `predicted` for regression, `cluster` for clustering).
    public func header(for frame: Frame) -> [String] {
        let inputs = predictionsOnly ? [] : frame.columnNames
        switch bundle.model.task {
        case .classification: return inputs + ["predicted"] + bundle.model.schema.classes.map { "p_\($0)" }
        case .regression: return inputs + ["predicted"]
        case .clustering: return inputs + ["cluster"]
        }
    }

    /// Scores `frame` and writes the result to `write` in chunks; `progress(rowsDone, rowsTotal)` after each.
    /// - Returns: the warnings of the schema check (unknown categories).
    /// - Throws: `BundleInputError` before anything is written when the input does not fit the schema (a missing
    ///   field, a wrong type, an infinite number, NaN without an imputer); `BundleInputError` naming the row when
    ///   finite inputs overflow inside the pipeline or give an answer that is not a finite number — scoring
    ///   stops there (an error, never a row with empty probabilities), after the chunks before it were written.
    @discardableResult
    public func score(_ frame: Frame, write: ([UInt8]) throws -> Void, progress: (Int, Int) -> Void = { _, _ in }) throws -> [String] {
        let warnings = try bundle.check(frame)
        let names = header(for: frame)
        let sep = format == .csv ? "," : "\t"
        if format != .ndjson {
            try write(Array((names.map { CSVField.quoted($0, separator: sep) }.joined(separator: sep) + "\n").utf8))
        }
        // Only the model's input columns are sliced for prediction; the output reads the whole frame in place.
        let inputs = try frame.selecting(bundle.manifest.inputs.map(\.name))
        let layout = Layout(scorer: self, frame: frame, names: names)
        let total = frame.rowCount, size = chunkRows
        _ = LargeAllocations.heapKeptWhenFreed
        progress(0, total)
        guard total > 0 else { return warnings }
        // Slices of 1,024 rows are predicted and formatted on every core in one continuous loop, never more than
        // `aheadChunks` chunks ahead of the writer; this thread writes each chunk once its slices are done. (With a
        // barrier per chunk, the cores waited for the chunk's last slice and for the writer to start the next one:
        // a quarter of the scoring phase idle.)
        let plan = SlicePlan(total: total, chunkRows: size, sliceRows: Self.sliceRows)
        let handOff = SliceHandOff(plan: plan, aheadChunks: 2)
        let group = DispatchGroup()
        let bundle = self.bundle
        DispatchQueue.global().async(group: group) {
            DispatchQueue.concurrentPerform(iterations: plan.slices.count) { s in
                guard handOff.waitForRoom(s) else { return }
                let rows = plan.slices[s]
                handOff.put(s, Result { BatchScorer.render(try bundle.predictChecked(inputs.slice(rows), firstRow: rows.lowerBound), rows: rows.lowerBound, layout) })
            }
        }
        defer { handOff.cancel(); group.wait() }
        for (c, chunk) in plan.chunks.enumerated() {
            for part in try handOff.takeChunk(c) { try write(part) }
            progress(plan.slices[chunk.upperBound - 1].upperBound, total)
        }
        return warnings
    }

    /// The rows of each slice (at most `sliceRows`, equal within a chunk) and the slices of each chunk
    /// (`chunkRows` rows, the unit of writing and of progress).
    struct SlicePlan: Sendable {
        var slices: [Range<Int>] = []
        var chunks: [Range<Int>] = []

        init(total: Int, chunkRows: Int, sliceRows: Int) {
            var start = 0
            let size = max(1, chunkRows)
            while start < total {
                let end = min(total, start + size), count = end - start
                let n = (count + sliceRows - 1) / sliceRows
                let first = slices.count
                for s in 0..<n { slices.append(start + count * s / n ..< start + count * (s + 1) / n) }
                chunks.append(first..<slices.count)
                start = end
            }
        }
    }

    /// Rendered slices handed from the workers to the writing thread in order. A worker waits before slice `s`
    /// while it is more than `aheadChunks` chunks past the chunk being written (bounded memory when the output
    /// is slow); `cancel` (an error, or the writer stopping) releases waiting workers and skips the rest.
    final class SliceHandOff: @unchecked Sendable {
        private let plan: SlicePlan
        private let aheadChunks: Int
        private var parts: [Result<[UInt8], Error>?]
        private var writing = 0
        private var cancelled = false
        private let condition = NSCondition()

        init(plan: SlicePlan, aheadChunks: Int) {
            self.plan = plan; self.aheadChunks = aheadChunks
            parts = Array(repeating: nil, count: plan.slices.count)
        }

        /// The first slice a worker may not start yet.
        private var limit: Int {
            let c = writing + aheadChunks
            return c < plan.chunks.count ? plan.chunks[c].lowerBound : plan.slices.count
        }

        /// Waits until slice `s` may be rendered; false when scoring was cancelled.
        func waitForRoom(_ s: Int) -> Bool {
            condition.lock(); defer { condition.unlock() }
            while !cancelled && s >= limit { condition.wait() }
            return !cancelled
        }

        func put(_ s: Int, _ part: Result<[UInt8], Error>) {
            condition.lock(); parts[s] = part; condition.broadcast(); condition.unlock()
        }

        /// Chunk `c`'s slices once all are rendered (released here); throws the first slice's error.
        func takeChunk(_ c: Int) throws -> [[UInt8]] {
            let range = plan.chunks[c]
            condition.lock()
            while !cancelled && range.contains(where: { parts[$0] == nil }) { condition.wait() }
            var out: [Result<[UInt8], Error>] = []
            for s in range { if let p = parts[s] { out.append(p) }; parts[s] = nil }
            writing = c + 1
            condition.broadcast()
            condition.unlock()
            return try out.map { try $0.get() }
        }

        func cancel() {
            condition.lock(); cancelled = true; condition.broadcast(); condition.unlock()
        }
    }

    /// What every row needs: formatted input columns, pre-quoted class labels, JSON keys.
    struct Layout: @unchecked Sendable {
        var format: Format
        var inputs: [CellText]
        var labels: [String]
        var keys: [[UInt8]]

        init(scorer: BatchScorer, frame: Frame, names: [String]) {
            let format = scorer.format
            self.format = format
            inputs = scorer.predictionsOnly ? [] : frame.columns.map { CellText(column: $0) }
            let sep = format == .csv ? "," : "\t"
            labels = scorer.bundle.model.schema.classes.map { format == .ndjson ? JSONText.string($0) : CSVField.quoted($0, separator: sep) }
            keys = names.map { Array((JSONText.string($0) + ":").utf8) }
        }
    }

    /// Rows predicted and formatted together. Small enough that a slice's matrices and text (under 256 KiB) come
    /// from malloc's heap and are reused: the loaders have every larger block mapped on its own
    /// (`LargeAllocations`), so 16,384-row slices faulted fresh zeroed pages in for every matrix of every slice.
    static let sliceRows = 1024

    /// Lines for prediction `p` of the rows starting at `first` (input cells read from the whole frame),
    /// written straight into bytes.
    static func render(_ p: BundlePrediction, rows first: Int, _ layout: Layout) -> [UInt8] {
        var out = TextBytes(capacity: p.count * (24 + 16 * layout.keys.count))
        let ndjson = layout.format == .ndjson, format = layout.format
        let sep = UInt8(ascii: layout.format == .csv ? "," : "\t")
        // Everything a row reads, taken out of its containers once (no per-row retains). The cell formatters are
        // reached without a retain (`layout`, this call's argument, holds them): a retain and release per cell of
        // objects every core shares bounced their counts' cache line between the cores — a quarter of the echoing
        // run's time. Keys and labels are this slice's own copies for the same reason.
        let inputs = layout.inputs.map(Unmanaged.passUnretained)
        let keys = layout.keys.map { $0.withUnsafeBufferPointer { Array($0) } }
        let labels = layout.labels.map { Array($0.utf8) }
        let codes = p.codes, values = p.values, clusters = p.clusters
        let probabilities = p.probabilities?.values ?? [], width = p.probabilities?.columns ?? 0
        for i in 0..<p.count {
            let r = first + i
            var field = 0
            // What goes before a field: its key in NDJSON, else the separator after the first.
            func next(_ out: inout TextBytes) {
                if ndjson {
                    out.append(field == 0 ? UInt8(ascii: "{") : UInt8(ascii: ","))
                    out.append(keys[field])
                } else if field > 0 {
                    out.append(sep)
                }
                field += 1
            }
            func number(_ v: Double, _ out: inout TextBytes) {
                if ndjson { NumberBytes.appendJSON(v, to: &out) } else { NumberBytes.append(v, to: &out, fewDecimals: false) }
            }
            for c in inputs { next(&out); c._withUnsafeGuaranteedRef { $0.append(r, format: format, to: &out) } }
            switch p.task {
            case .classification:
                next(&out); out.append(labels[codes[i]])
                for k in 0..<width { next(&out); number(probabilities[i * width + k], &out) }
            case .regression: next(&out); number(values[i], &out)
            case .clustering: next(&out); NumberBytes.append(Int64(clusters[i]), to: &out)
            }
            if ndjson { out.append(UInt8(ascii: "}")) }
            out.append(UInt8(ascii: "\n"))
        }
        return out.bytes()
    }
}

/// Formats one input column's cells for CSV/TSV and JSON (text dictionary entries are quoted once, not per row).
/// A class, so that reaching it per cell copies one reference, not the struct's arrays. Immutable.
final class CellText: @unchecked Sendable {
    let column: Column
    /// A text column's entries as CSV fields and as JSON strings, formatted once and packed end to end (empty for
    /// other columns): a cell is copied from there without a retain. With an array per entry, every cell retained
    /// and released an entry both cores share (the count's cache line bouncing between them) and read it from
    /// wherever it was allocated — with a million distinct ids, a quarter of echoing a file's inputs.
    let quotedDictionary: PackedText
    let jsonDictionary: PackedText
    /// The storage unpacked once, so a cell does not copy (and retain) the column's enum payload.
    let floats: [Double]
    let ints: [Int64]
    let codes: [Int32]
    let kind: Kind
    let validity: Bitmap?
    /// A float column's values mostly have few decimals (`NumberBytes.mostlyFewDecimals`): which path `write` tries
    /// first. The text is the same either way.
    let fewDecimals: Bool
    /// The decimals the scaled path tries first (`NumberBytes.typicalDecimals`; -1 when not `fewDecimals`).
    let decimals: Int
    enum Kind { case float, int, text, other }

    init(column: Column) {
        self.column = column
        validity = column.validity
        var q: [String] = [], j: [String] = [], f: [Double] = [], i: [Int64] = [], c: [Int32] = []
        switch column.storage {
        case .text(let codes, let dictionary):
            q = dictionary.map { CSVField.quoted($0, separator: ",") }
            j = dictionary.map { JSONText.string($0) }
            c = codes; kind = .text
        case .float(let v): f = v; kind = .float
        case .int(let v): i = v; kind = .int
        default: kind = .other
        }
        quotedDictionary = PackedText(packing: q); jsonDictionary = PackedText(packing: j); floats = f; ints = i; codes = c
        let typical = NumberBytes.typicalDecimals(f)
        fewDecimals = typical != nil
        decimals = typical ?? -1
    }

    /// Appends row `r`'s cell (empty / null for a missing value).
    func append(_ r: Int, format: BatchScorer.Format, to out: inout TextBytes) {
        let valid = (validity?[r] ?? true) && !(kind == .float && floats[r].isNaN)
        guard valid else { if format == .ndjson { out.append("null") }; return }
        switch kind {
        case .float where format != .ndjson: NumberBytes.append(floats[r], to: &out, fewDecimals: fewDecimals, decimals: decimals)
        case .float: NumberBytes.appendJSON(floats[r], to: &out)
        case .int: NumberBytes.append(ints[r], to: &out)
        case .text where format == .csv: Self.append(quotedDictionary, Int(codes[r]), to: &out)
        case .text where format == .ndjson: Self.append(jsonDictionary, Int(codes[r]), to: &out)
        default: out.append(format == .ndjson ? json(r) : text(r, separator: "\t"))
        }
    }

    /// Appends entry `k` of `texts` (nothing for a code outside them).
    @inline(__always)
    private static func append(_ texts: PackedText, _ k: Int, to out: inout TextBytes) {
        guard k >= 0 && k < texts.count else { return }
        let b = texts.bytes(k)
        if let a = b.baseAddress { out.append(a, count: b.count) }
    }

    func text(_ r: Int, separator: String) -> String {
        guard column.isValid(r) else { return "" }
        switch column.storage {
        case .float(let v): return CellText.number(v[r])
        case .int(let v): return String(v[r])
        case .text(let codes, let dictionary):
            return CSVField.quoted(dictionary[Int(codes[r])], separator: separator)
        default: return column[r].plainText
        }
    }

    func json(_ r: Int) -> String {
        guard column.isValid(r) else { return "null" }
        switch column.storage {
        case .float(let v): return JSONText.number(v[r])
        case .int(let v): return String(v[r])
        case .text(let codes, let dictionary): return JSONText.string(dictionary[Int(codes[r])])
        default: return JSONText.value(column[r])
        }
    }

    /// The shortest text that reads back as the same double (integers without ".0"), empty for NaN.
    static func number(_ v: Double) -> String {
        if v.isNaN { return "" }
        if v.isInfinite { return v < 0 ? "-inf" : "inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }

}

