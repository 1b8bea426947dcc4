import Foundation

/// Reads Apache Parquet files (flat schemas) into frames: the footer, then every column chunk of every row
/// group in parallel, then each column's chunks joined. Damaged or hostile bytes give a `PetalError` naming the
/// file, the column and the row group; nested and unsupported columns are skipped with a warning.
public enum ParquetReader {
    static let magic: [UInt8] = Array("PAR1".utf8)

    /// Parses a whole Parquet file's bytes into a frame. `file` names the source in errors and warnings.
    /// - Throws: `PetalError` naming the file (and column, row group) for a damaged file or one Petal cannot read.
    public static func read(bytes: [UInt8], file: String, options: LoadOptions = LoadOptions()) throws -> (Frame, [DataWarning]) {
        try bytes.withUnsafeBufferPointer { try read(ParquetSource(memory: $0), file: file, options: options) }
    }

    /// Reads the Parquet file at `path` with `pread`: the footer first, then each column chunk by the thread
    /// that decodes it (see `ParquetSource`).
    /// - Throws: `PetalError` naming the file for a damaged file, one Petal cannot read, or one that changed while it was read.
    public static func read(path: String, options: LoadOptions = LoadOptions()) throws -> (Frame, [DataWarning]) {
        let fd = try FileCheck.openForReading(path)
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { throw FileCheck.readError(path, errno: errno) }
        try FileCheck.requireRegular(before, path: path)
        let result = try read(ParquetSource(descriptor: fd, count: Int(before.st_size)), file: path, options: options)
        // A file rewritten or resized while it was read is refused, as FileCheck.readAll refuses it.
        var after = stat()
        guard fstat(fd, &after) == 0 else { throw FileCheck.readError(path, errno: errno) }
        if after.st_size != before.st_size || FileCheck.modified(after) != FileCheck.modified(before) {
            throw FileCheck.changed(path, from: Int(before.st_size), to: Int(after.st_size))
        }
        return result
    }

    static func read(_ source: ParquetSource, file: String, options: LoadOptions) throws -> (Frame, [DataWarning]) {
        let here = SourceLocation(file: file)
        let (metadata, dataEnd) = try footer(source, file: file)
        let schema: ParquetSchemaPlan
        do { schema = try ParquetSchemaPlan(metadata.schema) } catch let fault as ParquetFault {
            throw PetalError("the Parquet file's schema is damaged: \(fault)", at: here, hint: hint)
        }
        var warnings: [DataWarning] = schema.skipped.map {
            DataWarning("skipped column \"\($0.name)\": \($0.reason)", at: SourceLocation(file: file, field: $0.name))
        }
        guard !schema.columns.isEmpty else {
            let why = schema.skipped.map { "\"\($0.name)\" (\($0.reason))" }.joined(separator: ", ")
            throw PetalError(schema.skipped.isEmpty ? "the Parquet file has no columns" : "no column of the Parquet file can be read: \(why)",
                            at: here, hint: "Petal reads flat columns of numbers, booleans, text, dates and timestamps")
        }
        var rows = 0
        for (g, group) in metadata.rowGroups.enumerated() {
            guard group.columns.count == schema.leafCount else {
                throw PetalError("row group \(g + 1) has \(group.columns.count) column chunks but the schema has \(schema.leafCount) columns",
                                at: here, hint: hint)
            }
            let (sum, overflow) = rows.addingReportingOverflow(Int(clamping: group.numRows))
            guard !overflow else { throw PetalError("the file claims more rows than can exist", at: here, hint: hint) }
            rows = sum
        }
        try checkMemory(rows: rows, columns: schema.columns.count, limit: options.memoryLimit, file: file)

        func size(_ job: (group: Int, column: Int)) -> Int {
            Int(clamping: max(0, metadata.rowGroups[job.group].columns[schema.columns[job.column].leaf].totalCompressedSize))
        }
        // Largest chunks first, so that the last chunk to finish is a small one and both cores stay busy.
        let jobs = metadata.rowGroups.indices.flatMap { g in schema.columns.indices.map { (group: g, column: $0) } }
            .enumerated().sorted { (size($0.element), $1.offset) > (size($1.element), $0.offset) }.map(\.element)
        options.csv.control?.setTotal(jobs.reduce(0) { $0 + size($1) })
        let results = ConcurrentSlots<Result<ParquetChunkData, Error>>(jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { k in
            let job = jobs[k]
            let plan = schema.columns[job.column]
            let group = metadata.rowGroups[job.group]
            let window = source.takeWindow(limit: dataEnd)
            defer { source.giveBack(window) }
            let reader = ParquetChunkReader(window: window, plan: plan, chunk: group.columns[plan.leaf],
                                            rows: Int(group.numRows), control: options.csv.control)
            results.set(k, Result { try reader.read() })
        }
        var chunks = [[ParquetChunkData]](repeating: [], count: schema.columns.count)
        // In file order (row group by row group), whatever order they were read in.
        for k in results.slots.indices.sorted(by: { (jobs[$0].group, jobs[$0].column) < (jobs[$1].group, jobs[$1].column) }) {
            let slot = results.slots[k]
            let job = jobs[k]
            let name = schema.columns[job.column].name
            switch slot {
            case .success(let data): chunks[job.column].append(data)
            case .failure(let error as ParquetFault):
                throw PetalError("the Parquet file is damaged or cannot be read: \(error) (column \"\(name)\", row group \(job.group + 1) of \(metadata.rowGroups.count))",
                                at: SourceLocation(file: file, field: name), hint: hint)
            case .failure(is CancellationError), .none:
                throw PetalError("loading was cancelled", at: here, hint: "open it again to load it")
            case .failure(let error): throw error
            }
        }
        let columns = try ParquetColumnMerger.merge(chunks, plans: schema.columns, file: file)
        let names = ColumnNames.deduplicated(columns.map(\.name), file: file, warnings: &warnings)
        let renamed = zip(columns, names).map { c, n in Column(name: n, storage: c.storage, validity: c.validity) }
        let frame = try Frame(columns: renamed)
        return (frame, warnings)
    }

    static let hint = "the file may be truncated or not Parquet; write it again (e.g. pandas.DataFrame.to_parquet) and open the new file"

    /// The footer's metadata and where the pages' region ends.
    static func footer(_ source: ParquetSource, file: String) throws -> (ParquetFileMetadata, Int) {
        let here = SourceLocation(file: file)
        let n = source.count
        guard n >= 12 else { throw PetalError("the file is too short to be Parquet (\(n) bytes)", at: here, hint: hint) }
        let head: [UInt8], last: [UInt8]
        do { (head, last) = (try source.bytes(0, 4), try source.bytes(n - 8, 8)) } catch let fault as ParquetFault {
            throw PetalError("the Parquet file cannot be read: \(fault)", at: here, hint: hint)
        }
        guard head == magic else { throw PetalError("the file does not start with Parquet's PAR1 marker", at: here, hint: hint) }
        let tail = Array(last[4..<8])
        if tail == Array("PARE".utf8) {
            throw PetalError("the Parquet file is encrypted, which Petal cannot read", at: here, hint: "decrypt it first (e.g. with pyarrow) and open the copy")
        }
        guard tail == magic else { throw PetalError("the file does not end with Parquet's PAR1 marker: it is truncated or not Parquet", at: here, hint: hint) }
        let length = (0..<4).reduce(0) { $0 | Int(last[$1]) << (8 * $1) }
        guard length > 0, length <= n - 12 else {
            throw PetalError("the Parquet footer's length (\(length) bytes) does not fit in the file (\(n) bytes)", at: here, hint: hint)
        }
        let start = n - 8 - length
        do {
            let bytes = try source.bytes(start, length)
            return (try bytes.withUnsafeBufferPointer { b in
                var r = ThriftCompactReader(b)
                return try ParquetFileMetadata(&r)
            }, start)
        } catch let fault as ParquetFault {
            throw PetalError("the Parquet footer is damaged: \(fault)", at: here, hint: hint)
        }
    }

    /// Refuses a file whose row count (from its footer) would need more memory than allowed.
    static func checkMemory(rows: Int, columns: Int, limit: Int?, file: String) throws {
        let allowed = limit ?? Int(clamping: ProcessInfo.processInfo.physicalMemory / 2)
        let (bytes, overflow) = rows.multipliedReportingOverflow(by: max(1, columns) * 9)
        guard overflow || bytes > allowed else { return }
        throw PetalError("the Parquet file claims \(rows) rows of \(columns) columns, more than the memory allowed (\(allowed >> 20) MiB)",
                        at: SourceLocation(file: file), hint: "the footer may be damaged; or read fewer columns or a smaller file")
    }
}
