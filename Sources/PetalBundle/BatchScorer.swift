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
        if format != .ndjson {
            let sep = format == .csv ? "," : "\t"
            try write(Data((names.map { CellText.quoted($0, separator: sep) }.joined(separator: sep) + "\n").utf8))
        }
        let keys = names.map { JSONText.string($0) + ":" }
        var start = 0
        progress(0, frame.rowCount)
        while start < frame.rowCount {
            let end = min(frame.rowCount, start + chunkRows)
            let chunk = frame.taking(Array(start..<end))
            let prediction = try bundle.predict(chunk)
            try write(render(chunk, prediction, keys: keys))
            start = end
            progress(start, frame.rowCount)
        }
        return warnings
    }

    /// One chunk's lines, formatted in parallel slices.
    func render(_ chunk: Frame, _ p: BundlePrediction, keys: [String]) -> Data {
        let inputs = predictionsOnly ? [] : chunk.columns.map { CellText(column: $0) }
        let classes = bundle.model.schema.classes
        let slices = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 2, chunk.rowCount / 4096))
        let parts = ConcurrentSlots<[UInt8]>(slices)
        let format = self.format
        DispatchQueue.concurrentPerform(iterations: slices) { s in
            let lo = chunk.rowCount * s / slices, hi = chunk.rowCount * (s + 1) / slices
            var out: [UInt8] = []
            out.reserveCapacity((hi - lo) * 64)
            var cells: [String] = []
            func number(_ v: Double) -> String { format == .ndjson ? JSONText.number(v) : CellText.number(v) }
            for r in lo..<hi {
                cells.removeAll(keepingCapacity: true)
                for c in inputs { cells.append(format == .ndjson ? c.json(r) : c.text(r, separator: format == .csv ? "," : "\t")) }
                switch p.task {
                case .classification:
                    let label = classes[p.codes[r]]
                    cells.append(format == .ndjson ? JSONText.string(label) : CellText.quoted(label, separator: format == .csv ? "," : "\t"))
                    if let m = p.probabilities { for k in 0..<m.columns { cells.append(number(m[r, k])) } }
                case .regression: cells.append(number(p.values[r]))
                case .clustering: cells.append(String(p.clusters[r]))
                }
                if format == .ndjson {
                    out.append(UInt8(ascii: "{"))
                    for (k, cell) in cells.enumerated() {
                        if k > 0 { out.append(UInt8(ascii: ",")) }
                        out.append(contentsOf: keys[k].utf8); out.append(contentsOf: cell.utf8)
                    }
                    out.append(contentsOf: "}\n".utf8)
                } else {
                    let sep = UInt8(ascii: format == .csv ? "," : "\t")
                    for (k, cell) in cells.enumerated() {
                        if k > 0 { out.append(sep) }
                        out.append(contentsOf: cell.utf8)
                    }
                    out.append(UInt8(ascii: "\n"))
                }
            }
            parts.set(s, out)
        }
        var data = Data()
        for part in parts.values { data.append(contentsOf: part) }
        return data
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
    static func number(_ v: Double) -> String { v.isNaN ? "" : NumberText.shortest(v) }

    /// A CSV/TSV field, quoted when it holds the separator, a quote, a line break, or edge spaces.
    static func quoted(_ s: String, separator: String) -> String {
        let needs = s.contains(separator) || s.contains("\"") || s.contains("\n") || s.contains("\r") || s.first == " " || s.last == " "
        guard needs else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
