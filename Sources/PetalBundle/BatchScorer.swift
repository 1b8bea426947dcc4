import Foundation
import PetalData
import PetalML

/// Batch scoring for `petal predict`: checks the whole input against the schema first, then scores it chunk by
/// chunk and streams each chunk's rows out (CSV, TSV or NDJSON) as soon as they are ready, formatting the
/// rows of a chunk on every core.
public struct BatchScorer {
    public enum Format: String, Sendable { case csv, tsv, ndjson }

    public var bundle: Bundle
    public var format: Format
    /// Write only the prediction columns (not the input columns before them).
    public var predictionsOnly = false
    public var chunkRows = 65_536

    public init(bundle: Bundle, format: Format, predictionsOnly: Bool = false) {
        self.bundle = bundle; self.format = format; self.predictionsOnly = predictionsOnly
    }

    /// The output format for a path's extension (csv when nil).
    public static func format(for path: String?) throws -> Format {
        guard let path else { return .csv }
        switch (path as NSString).pathExtension.lowercased() {
        case "csv", "txt", "": return .csv
        case "tsv", "tab": return .tsv
        case "ndjson", "jsonl": return .ndjson
        default: throw DataError("petal predict writes .csv, .tsv or .ndjson, not \"\(path)\"", hint: "for example -o predicted.csv")
        }
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
    /// - Throws: `BundleInputError` before anything is written when the input does not fit the schema.
    @discardableResult
    public func score(_ frame: Frame, write: (Data) throws -> Void, progress: (Int, Int) -> Void = { _, _ in }) throws -> [String] {
        let warnings = try bundle.check(frame)
        let names = header(for: frame)
        let sep = format == .csv ? "," : "\t"
        if format != .ndjson {
            try write(Data((names.map { CellText.quoted($0, separator: sep) }.joined(separator: sep) + "\n").utf8))
        }
        // Only the model's input columns are sliced for prediction; the output reads the whole frame in place.
        let inputs = try frame.selecting(bundle.manifest.inputs.map(\.name))
        let layout = Layout(scorer: self, frame: frame, names: names)
        var start = 0
        progress(0, frame.rowCount)
        while start < frame.rowCount {
            let end = min(frame.rowCount, start + chunkRows)
            try write(try renderChunk(inputs, start..<end, layout))
            start = end
            progress(start, frame.rowCount)
        }
        return warnings
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
            labels = scorer.bundle.model.schema.classes.map { format == .ndjson ? JSONText.string($0) : CellText.quoted($0, separator: sep) }
            keys = names.map { Array((JSONText.string($0) + ":").utf8) }
        }
    }

    /// Predicts and formats rows `range`, in slices on every core; the slices' bytes in order.
    func renderChunk(_ inputs: Frame, _ range: Range<Int>, _ layout: Layout) throws -> Data {
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 2, range.count / 2048))
        let parts = ConcurrentSlots<Result<[UInt8], Error>>(slices)
        let bundle = self.bundle
        DispatchQueue.concurrentPerform(iterations: slices) { s in
            let lo = range.lowerBound + range.count * s / slices, hi = range.lowerBound + range.count * (s + 1) / slices
            parts.set(s, Result { try BatchScorer.render(try bundle.predictChecked(inputs.taking(Array(lo..<hi))), rows: lo, layout) })
        }
        var data = Data()
        for part in parts.slots {
            guard let part else { continue }
            data.append(contentsOf: try part.get())
        }
        return data
    }

    /// Lines for prediction `p` of the rows starting at `first` (input cells read from the whole frame).
    static func render(_ p: BundlePrediction, rows first: Int, _ layout: Layout) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(p.count * (24 + 16 * layout.keys.count))
        var cells: [String] = []
        let ndjson = layout.format == .ndjson
        let sep = layout.format == .csv ? "," : "\t"
        func number(_ v: Double) -> String { ndjson ? JSONText.number(v) : CellText.number(v) }
        for i in 0..<p.count {
            let r = first + i
            cells.removeAll(keepingCapacity: true)
            for c in layout.inputs { cells.append(ndjson ? c.json(r) : c.text(r, separator: sep)) }
            switch p.task {
            case .classification:
                cells.append(layout.labels[p.codes[i]])
                if let m = p.probabilities { for k in 0..<m.columns { cells.append(number(m[i, k])) } }
            case .regression: cells.append(number(p.values[i]))
            case .clustering: cells.append(String(p.clusters[i]))
            }
            if ndjson {
                out.append(UInt8(ascii: "{"))
                for (k, cell) in cells.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: layout.keys[k]); out.append(contentsOf: cell.utf8)
                }
                out.append(contentsOf: "}\n".utf8)
            } else {
                let byte = UInt8(ascii: layout.format == .csv ? "," : "\t")
                for (k, cell) in cells.enumerated() {
                    if k > 0 { out.append(byte) }
                    out.append(contentsOf: cell.utf8)
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
        return out
    }
}

/// Formats one input column's cells for CSV/TSV and JSON (text dictionary entries are quoted once, not per row).
struct CellText {
    let column: Column
    let quotedDictionary: [String]
    let jsonDictionary: [String]

    init(column: Column) {
        self.column = column
        if case .text(_, let dictionary) = column.storage {
            quotedDictionary = dictionary.map { CellText.quoted($0, separator: ",") }
            jsonDictionary = dictionary.map { JSONText.string($0) }
        } else {
            quotedDictionary = []; jsonDictionary = []
        }
    }

    func text(_ r: Int, separator: String) -> String {
        guard column.isValid(r) else { return "" }
        switch column.storage {
        case .float(let v): return CellText.number(v[r])
        case .int(let v): return String(v[r])
        case .text(let codes, let dictionary):
            return separator == "," ? quotedDictionary[Int(codes[r])] : CellText.quoted(dictionary[Int(codes[r])], separator: separator)
        default: return column[r].plainText
        }
    }

    func json(_ r: Int) -> String {
        guard column.isValid(r) else { return "null" }
        switch column.storage {
        case .float(let v): return JSONText.number(v[r])
        case .int(let v): return String(v[r])
        case .text(let codes, _): return jsonDictionary[Int(codes[r])]
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

    /// A CSV/TSV field, quoted when it holds the separator, a quote, a line break, or edge spaces.
    static func quoted(_ s: String, separator: String) -> String {
        let sep = separator.utf8.first ?? UInt8(ascii: ",")
        let needs = s.utf8.contains { $0 == sep || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
            || s.first == " " || s.last == " "
        guard needs else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
