import Foundation
import PetalTestSupport

/// Runs the real `petal` binary.
enum Petal {
    static let root = RepoPaths.root

    /// The built binary: beside the test bundle, else in .build/debug.
    static let binary: String = {
        let candidates = [Bundle.main.bundleURL.appendingPathComponent("petal").path,
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("petal").path,
                          root.appendingPathComponent(".build/debug/petal").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[2]
    }()

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    /// A tracking folder for this test process (PETAL_HOME unless a test passes its own).
    static let scratchTracking = NSTemporaryDirectory() + "petal-e2e-tracking-\(getpid())"

    /// A new empty folder for a test's own tracking store.
    static func freshFolder(_ label: String) -> URL {
        let url = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("petal-\(label)-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `petal args…` in the repository root (or `cwd`), feeding `input` on standard input.
    static func run(_ args: [String], input: String? = nil, cwd: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = cwd ?? root
        var env = ProcessInfo.processInfo.environment
        // Runs go to a scratch store, never to the repository's (or a user's) .petal/.
        env["PETAL_HOME"] = scratchTracking
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try? inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// Starts a long-lived process (the tmux server) with every inherited descriptor above 2 closed, so it
    /// cannot hold open the pipes of other tests' processes (which would block their readers forever).
    static func spawnDetached(_ command: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done; exec \(command)"]
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return }
        p.waitUntilExit()
    }

    /// Runs a shell command (for tmux), returning its output.
    @discardableResult
    static func shell(_ command: String) -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        do { try p.run() } catch { return (127, "\(error)") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
