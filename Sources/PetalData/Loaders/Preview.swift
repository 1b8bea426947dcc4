import Foundation

/// The first rows of a large delimited file, parsed from its first bytes so a screen can show data while the
/// whole file loads in the background.
public enum Preview {
    /// A frame of the rows in the first `bytes` of `path`, or nil when the file is small (a full load is quick),
    /// not delimited text, or its start does not parse on its own (a quoted field running past the cut).
    public static func frame(path: String, options: LoadOptions = LoadOptions(), bytes: Int = 256 * 1024) -> Frame? {
        // Only regular files, read (not mapped) without blocking: see `FileCheck`.
        guard let size = FileCheck.regularFileSize(path), size > bytes * 4,
              let loader = try? Loaders.loader(for: path, options: options),
              loader.formatName == Loaders.csv.formatName || loader.formatName == Loaders.tsv.formatName else { return nil }
        let head = FileCheck.head(path, bytes: bytes)
        guard let cut = head.lastIndex(of: UInt8(ascii: "\n")) else { return nil }
        var csv = options.csv
        csv.control = nil
        if loader.formatName == Loaders.tsv.formatName && csv.delimiter == nil { csv.delimiter = 0x09 }
        let ext = (path as NSString).pathExtension
        return try? CSVReader.read(bytes: Array(head[head.startIndex...cut]), file: path, options: csv, fileExtension: ext).0
    }
}
