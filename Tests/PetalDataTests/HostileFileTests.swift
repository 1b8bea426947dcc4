import Foundation
import Testing
@testable import PetalData

/// Files that change while they load, and paths that are not regular files (issue 12): an error saying what
/// happened, never a signal or a hang.
@Suite struct HostileFileTests {
    /// A CSV of `rows` rows (about 30 bytes each).
    static func bigCSV(rows: Int) -> [UInt8] {
        var text = "id,x,label\n"
        for i in 0..<rows { text += "\(i),\(Double(i) * 0.25),class_\(i % 7)\n" }
        return Array(text.utf8)
    }

    @Test func truncatedWhileReadingIsAnError() throws {
        let dir = TempDir()
        let path = dir.file("shrinks.csv", Self.bigCSV(rows: 20_000))
        var chunks = 0
        let e = try #require(throws: PetalError.self) {
            try FileCheck.readAll(path, chunkSize: 64 * 1024) {
                chunks += 1
                if chunks == 1 { truncate(path, 1000) }
            }
        }
        #expect(e.message.contains("the file changed while it was read"), "\(e)")
        #expect(e.location?.file == path)
    }

    @Test func grownOrRewrittenWhileReadingIsAnError() throws {
        let dir = TempDir()
        let path = dir.file("grows.csv", Self.bigCSV(rows: 20_000))
        var first = true
        let grown = try #require(throws: PetalError.self) {
            try FileCheck.readAll(path, chunkSize: 64 * 1024) {
                guard first else { return }
                first = false
                let h = FileHandle(forWritingAtPath: path)
                h?.seekToEndOfFile()
                h?.write(Data("1,2,3\n".utf8))
                try? h?.close()
            }
        }
        #expect(grown.message.contains("changed while it was read"))
        // Same size, new content (and modification time).
        let same = dir.file("rewritten.csv", Self.bigCSV(rows: 20_000))
        first = true
        let rewritten = try #require(throws: PetalError.self) {
            try FileCheck.readAll(same, chunkSize: 64 * 1024) {
                guard first else { return }
                first = false
                usleep(20_000)  // a later modification time, at any clock resolution
                let h = FileHandle(forWritingAtPath: same)
                h?.write(Data("9".utf8))
                try? h?.close()
            }
        }
        #expect(rewritten.message.contains("changed while it was read"))
    }

    /// Another thread truncates and restores the file while it loads again and again: each load either succeeds
    /// or says the file changed (with memory-mapping, this was a SIGBUS that killed the process).
    @Test func loadsSurviveAFileShrinkingUnderneath() throws {
        let dir = TempDir()
        let bytes = Self.bigCSV(rows: 150_000)
        let path = dir.file("racing.csv", bytes)
        let stop = Atomic(false)
        let writer = Thread {
            while !stop.value {
                truncate(path, off_t(bytes.count / 3))
                usleep(200)
                FileManager.default.createFile(atPath: path + ".tmp", contents: Data(bytes))
                rename(path + ".tmp", path)
                truncate(path, off_t(bytes.count / 2))
                FileManager.default.createFile(atPath: path, contents: Data(bytes))
            }
        }
        writer.start()
        defer { stop.value = true; usleep(50_000) }
        var outcomes: [String: Int] = [:]
        for _ in 0..<20 {
            do {
                let r = try Loaders.load(path: path)
                outcomes["loaded", default: 0] += 1
                #expect((r.frame?.rowCount ?? 0) > 0)
            } catch let e as PetalError {
                outcomes[e.message.contains("changed while it was read") ? "changed" : "other: \(e.message)", default: 0] += 1
            }
        }
        // Reaching here at all is the point (no signal); every failure was a PetalError.
        #expect(outcomes.values.reduce(0, +) == 20, "\(outcomes)")
    }

    @Test func fifoWithoutAWriterDoesNotHang() throws {
        let dir = TempDir()
        let path = dir.url.appendingPathComponent("pipe.csv").path
        #expect(mkfifo(path, 0o600) == 0)
        let started = Date()
        let e = try #require(throws: PetalError.self) { try Loaders.load(path: path) }
        #expect(e.message.contains("named pipe (FIFO)"), "\(e)")
        // Reading directly (as if the check had been skipped) does not block either.
        let direct = try #require(throws: PetalError.self) { try FileCheck.readAll(path) }
        #expect(direct.message.contains("named pipe"))
        #expect(FileCheck.head(path, bytes: 16).isEmpty)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func devicesSocketsFoldersAndLinksSayWhatTheyAre() throws {
        for device in ["/dev/null", "/dev/zero"] {
            let e = try #require(throws: PetalError.self) { try Loaders.load(path: device) }
            #expect(e.message.contains("character device"), "\(device): \(e)")
        }
        let dir = TempDir()
        let loop = dir.url.appendingPathComponent("loop.csv").path
        let other = dir.url.appendingPathComponent("other.csv").path
        symlink(other, loop); symlink(loop, other)
        let looped = try #require(throws: PetalError.self) { try Loaders.load(path: loop) }
        #expect(looped.message.contains("loops"), "\(looped)")
        let dangling = dir.url.appendingPathComponent("dangling.csv").path
        symlink(dir.url.appendingPathComponent("gone.csv").path, dangling)
        let broken = try #require(throws: PetalError.self) { try Loaders.load(path: dangling) }
        #expect(broken.message.contains("symbolic link") && broken.message.contains("does not exist"), "\(broken)")
        let folder = try #require(throws: PetalError.self) { try Loaders.load(path: dir.url.path) }
        #expect(folder.message.contains("folder"))
        let missing = try #require(throws: PetalError.self) { try Loaders.load(path: dir.url.appendingPathComponent("nope.csv").path) }
        #expect(missing.message == "no such file")
        // A Unix socket.
        let socketPath = dir.url.appendingPathComponent("s.csv").path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        if bound == 0 {
            let e = try #require(throws: PetalError.self) { try Loaders.load(path: socketPath) }
            #expect(e.message.contains("socket"), "\(e)")
        }
    }
}

/// A flag shared with a thread in a test.
final class Atomic<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T
    init(_ value: T) { stored = value }
    var value: T {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
