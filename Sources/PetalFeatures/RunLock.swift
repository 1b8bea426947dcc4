import Foundation
import PetalData

/// An exclusive lock on a file (`flock`), held while a `jobs run-due` runs so two never overlap on one machine.
/// The kernel releases it when the process ends, however it ends, so a crash never leaves a stale lock.
public final class RunLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock without waiting; nil when another process holds it.
    /// - Throws: `PetalError` when the lock file cannot be opened.
    public init?(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PetalError("cannot open the lock file \(path): \(String(cString: strerror(errno)))", hint: "check the folder's permissions")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { close(fd); return nil }
        self.fd = fd
        // Who holds it, for the message another run-due prints.
        let text = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    /// The pid written by the holder, for messages.
    public static func holder(path: String) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
