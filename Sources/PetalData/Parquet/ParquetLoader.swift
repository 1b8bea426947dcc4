import Foundation

/// Apache Parquet files (flat schemas; see `ParquetReader` and `ParquetWriter`).
public enum ParquetLoader: FrameWritingLoader {
    public static let formatName = "parquet"
    public static let fileExtensions = ["parquet", "pq"]
    public static let mediaTypes = ["application/vnd.apache.parquet", "application/x-parquet"]
    public static func sniff(_ head: [UInt8]) -> Bool { head.starts(with: ParquetReader.magic) }

    public static func load(path: String, options: LoadOptions) throws -> LoadResult {
        // Read with pread, not memory-mapped: a file truncated by another process meanwhile is an error, not a SIGBUS.
        let (frame, warnings) = try ParquetReader.read(path: path, options: options)
        return LoadResult(frame: frame, warnings: warnings)
    }

    public static func write(_ frame: Frame, to path: String) throws { try ParquetWriter.write(frame, to: path) }
}
