import Foundation

/// The text encoders behind `save` (CSV/TSV and JSON/NDJSON) and the atomic file write every format uses.
/// Which format a path gets is the format registry's business (`Loaders.writer(for:format:)`).
public enum FrameWriter {
    /// Writes `frame` to `path` in the format `format` names, else the one its extension says.
    /// - Returns: the format's name.
    @discardableResult
    public static func write(_ frame: Frame, to path: String, format: String? = nil) throws -> String {
        let entry = try Loaders.writer(for: path, format: format)
        guard let write = entry.write else { throw PetalError("cannot write \(entry.formatName) files") }
        try write(frame, path)
        return entry.formatName
    }

    /// Writes `bytes` to `path` atomically (a partly written file never replaces a good one).
    /// - Throws: `PetalError` naming the path when it is a folder, its folder is missing, or the write fails.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw PetalError("this is a folder", at: SourceLocation(file: path), hint: "name a file, e.g. \(path)/out.csv")
        }
        let folder = url.deletingLastPathComponent().path
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            throw PetalError("the folder \(folder) does not exist", at: SourceLocation(file: path), hint: "create it first, or choose another path")
        }
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw PetalError("cannot write the file: \(error.localizedDescription)", at: SourceLocation(file: path),
                            hint: "check that the folder is writable and the disk is not full")
        }
    }

    /// CSV/TSV text: a header, then one line per row; fields quoted when they need it (RFC 4180).
    public static func delimited(_ frame: Frame, separator: Character) -> String {
        var out = frame.columnNames.map { CSVField.quoted($0, separator: separator) }.joined(separator: String(separator)) + "\n"
        for row in 0..<frame.rowCount {
            var first = true
            for c in frame.columns {
                if !first { out.append(separator) }
                first = false
                let v = c[row]
                if case .text(let s) = v { out += CSVField.quoted(s, separator: separator) } else { out += v.plainText }
            }
            out += "\n"
        }
        return out
    }

    /// JSON text: an array of objects, or one object per line.
    public static func json(_ frame: Frame, lines: Bool) -> String {
        var rows: [String] = []
        rows.reserveCapacity(frame.rowCount)
        let keys = frame.columnNames.map { JSONText.string($0) }
        for row in 0..<frame.rowCount {
            var fields: [String] = []
            for (k, c) in frame.columns.enumerated() { fields.append(keys[k] + ":" + JSONText.value(c[row])) }
            rows.append("{" + fields.joined(separator: ",") + "}")
        }
        if lines { return rows.map { $0 + "\n" }.joined() }
        return "[\n" + rows.joined(separator: ",\n") + "\n]\n"
    }
}
