import Foundation

/// Which process owns a running run: its pid, the kernel's start time for that pid (so a reused pid is not
/// mistaken for the original), and the host name.
struct ProcessIdentity {
    var pid: Int32
    var startTicks: Int64?
    var host: String

    static let current = ProcessIdentity(pid: getpid(), startTicks: startTicks(of: getpid()), host: ProcessInfo.processInfo.hostName)

    /// Field 22 of `/proc/PID/stat` (start time in clock ticks since boot), or nil where there is no /proc.
    static func startTicks(of pid: Int32) -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces and parentheses) start at field 3.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return Int64(fields[19])
    }

    /// True when `pid` is a live process and (when known) the same one that started the run.
    static func isAlive(pid: Int32, startTicks: Int64?) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 && errno != EPERM { return false }
        if let startTicks, let now = ProcessIdentity.startTicks(of: pid), now != startTicks { return false }
        return true
    }
}

/// Where the store's times come from: the system clock, or (for notebooks and tests) a counter that starts at a
/// fixed instant and advances one second a reading, so recorded output never changes.
public final class TrackingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var next: Double?

    private init(start: Double?) { next = start }

    /// Seconds since 1970.
    public func now() -> Double {
        lock.lock(); defer { lock.unlock() }
        guard let t = next else { return Date().timeIntervalSince1970 }
        next = t + 1
        return t
    }

    /// True for a counting clock.
    public var isCounting: Bool { lock.lock(); defer { lock.unlock() }; return next != nil }

    public static var system: TrackingClock { TrackingClock(start: nil) }

    /// A clock reading `start`, `start + 1`, … (2025-01-01T00:00:00Z by default).
    public static func counting(from start: Double = 1_735_689_600) -> TrackingClock { TrackingClock(start: start) }
}
