import Foundation

/// Reading user files safely: what a path is (a regular file, a folder, a pipe, a device, a link loop) is checked
/// before it is opened, and files are read into memory with `read`, never memory-mapped, so a file that another
/// process truncates or rewrites meanwhile gives an error ("the file changed while it was read") instead of a
/// SIGBUS. Opening is non-blocking, so a FIFO swapped in after the check cannot hang the session.
public enum FileCheck {
    /// Throws a `PetalError` saying what `path` is unless it is a readable regular file (links are followed).
    public static func requireReadableFile(_ path: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else { throw statError(path, errno: errno) }
        try requireRegular(st, path: path)
        guard access(path, R_OK) == 0 else {
            throw PetalError("permission denied: the file cannot be read", at: SourceLocation(file: path),
                            hint: "check the file's permissions (ls -l \(path))")
        }
    }

    /// The whole file as bytes, read in chunks. `afterChunk` (for tests) runs after each chunk is read.
    /// - Throws: `PetalError` when the path is not a readable regular file, or the file changed while it was read.
    public static func readAll(_ path: String, chunkSize: Int = 16 << 20, afterChunk: (() -> Void)? = nil) throws -> [UInt8] {
        let fd = try openForReading(path)
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { throw readError(path, errno: errno) }
        try requireRegular(before, path: path)
        let size = Int(before.st_size)
        var failure: PetalError?
        var got = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            guard let base = buffer.baseAddress else { count = 0; return }
            while got < size {
                let n = read(fd, base + got, min(chunkSize, size - got))
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    failure = readError(path, errno: errno)
                    break
                }
                if n == 0 { break }
                got += n
                afterChunk?()
            }
            // One byte more than the size: a file that grew while it was read.
            if failure == nil && got == size {
                var n = read(fd, base + got, 1)
                while n < 0 && errno == EINTR { n = read(fd, base + got, 1) }
                if n > 0 { got += n }
            }
            count = min(got, size)
        }
        if let failure { throw failure }
        var after = stat()
        guard fstat(fd, &after) == 0 else { throw readError(path, errno: errno) }
        if got != size || Int(after.st_size) != size || modified(after) != modified(before) {
            throw changed(path, from: size, to: Int(after.st_size))
        }
        return bytes
    }

    /// Up to `bytes` first bytes of the file (empty when it is not a readable regular file).
    public static func head(_ path: String, bytes: Int) -> [UInt8] {
        guard let fd = try? openForReading(path) else { return [] }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return [] }
        var out = [UInt8](repeating: 0, count: max(0, bytes))
        var got = 0
        while got < out.count {
            let n = out.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(fd, base + got, raw.count - got)
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got += n
        }
        return Array(out.prefix(got))
    }

    /// The size of a regular file, or nil for anything else.
    public static func regularFileSize(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    // MARK: - Helpers

    /// Opens without blocking (a FIFO without a writer would otherwise wait forever) and without following the
    /// descriptor into child processes.
    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw statError(path, errno: errno) }
        return fd
    }

    static func requireRegular(_ st: stat, path: String) throws {
        let what: String
        let hint: String
        switch st.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR:
            throw PetalError("this is a folder, not a file", at: SourceLocation(file: path),
                            hint: "name a file inside it, e.g. open \(path)/data.csv")
        case S_IFIFO:
            what = "a named pipe (FIFO)"
            hint = "Petal reads whole files; save the data first (e.g. command > data.csv) and open that file"
        case S_IFCHR:
            what = "a character device (like /dev/null, /dev/zero or a terminal)"
            hint = "name a data file instead"
        case S_IFBLK:
            what = "a block device (a disk)"
            hint = "name a data file instead"
        case S_IFSOCK:
            what = "a socket"
            hint = "name a data file instead"
        default:
            what = "a special file"
            hint = "name a data file instead"
        }
        throw PetalError("this is \(what), not a regular file", at: SourceLocation(file: path), hint: hint)
    }

    /// Explains why `stat` or `open` failed, saying what the path is where that is the reason.
    static func statError(_ path: String, errno code: Int32) -> PetalError {
        switch code {
        case ENOENT:
            var lst = stat()
            if lstat(path, &lst) == 0 && (lst.st_mode & S_IFMT) == S_IFLNK {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                return PetalError("this is a symbolic link to \(target), which does not exist", at: SourceLocation(file: path),
                                 hint: "point the link at an existing file, or open the file itself")
            }
            return PetalError("no such file", at: SourceLocation(file: path),
                             hint: "check the spelling; a relative path starts in the folder Petal was started from")
        case ELOOP:
            return PetalError("this is a symbolic link that loops (it leads back to itself)", at: SourceLocation(file: path),
                             hint: "ls -l shows where each link points; open the file itself")
        case EACCES, EPERM:
            return PetalError("permission denied: the file cannot be read", at: SourceLocation(file: path),
                             hint: "check the file's permissions (ls -l \(path))")
        case ENOTDIR:
            return PetalError("no such file (a part of the path is a file, not a folder)", at: SourceLocation(file: path),
                             hint: "check the path")
        case ENAMETOOLONG:
            return PetalError("the path is too long", at: SourceLocation(file: path))
        default:
            return readError(path, errno: code)
        }
    }

    static func readError(_ path: String, errno code: Int32) -> PetalError {
        PetalError("the file cannot be read: \(String(cString: strerror(code)))", at: SourceLocation(file: path))
    }

    static func changed(_ path: String, from: Int, to: Int) -> PetalError {
        if from == 0 && to == 0 {
            return PetalError("the file reports a size of 0 but has content (like the files in /proc)", at: SourceLocation(file: path),
                             hint: "copy it to a regular file first (e.g. cat \(path) > data.txt) and open the copy")
        }
        let detail = from == to ? "it was rewritten" : "its size went from \(from) to \(to) bytes"
        return PetalError("the file changed while it was read (\(detail))", at: SourceLocation(file: path),
                         hint: "wait until whatever writes it has finished, then open it again")
    }

    /// The modification time in nanoseconds.
    static func modified(_ st: stat) -> Int64 {
        #if os(Linux)
        return Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #else
        return Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #endif
    }
}
