import Foundation

/// Comma-separated values (and any delimiter given with `sep=`).
public enum CSVLoader: FrameWritingLoader {
    public static let formatName = "csv"
    public static let fileExtensions = ["csv", "txt", "data"]
    public static let mediaTypes = ["text/csv", "application/csv", "text/comma-separated-values"]
    public static func sniff(_ head: [UInt8]) -> Bool { true }

    public static func load(path: String, options: LoadOptions) throws -> LoadResult {
        // Read in windows with pread, not memory-mapped: a file truncated by another process meanwhile is an
        // error, not a SIGBUS, and the whole file is never held beside the frame.
        let ext = (path as NSString).pathExtension
        let (frame, warnings) = try CSVFileReader.read(path: path, options: options.csv, fileExtension: ext)
        return LoadResult(frame: frame, warnings: warnings)
    }

    public static func write(_ frame: Frame, to path: String) throws {
        try FrameWriter.writeAtomically(Array(FrameWriter.delimited(frame, separator: ",").utf8), to: path)
    }
}

/// Tab-separated values.
public enum TSVLoader: FrameWritingLoader {
    public static let formatName = "tsv"
    public static let fileExtensions = ["tsv", "tab"]
    public static let mediaTypes = ["text/tab-separated-values"]
    public static func sniff(_ head: [UInt8]) -> Bool { false }

    public static func load(path: String, options: LoadOptions) throws -> LoadResult {
        var options = options
        if options.csv.delimiter == nil { options.csv.delimiter = 0x09 }
        return try CSVLoader.load(path: path, options: options)
    }

    public static func write(_ frame: Frame, to path: String) throws {
        try FrameWriter.writeAtomically(Array(FrameWriter.delimited(frame, separator: "\t").utf8), to: path)
    }
}
