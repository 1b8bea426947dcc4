import Dispatch
import Foundation

/// Timings for the workbench benchmark: with PETAL_TRACE=FILE, writes when the screen came up, when the first
/// frame showing data rows was drawn, when commands finished, and how long each redraw took (milliseconds since
/// the process started, measured from `start`).
public enum FirstFrameTrace {
    nonisolated(unsafe) public static var start = DispatchTime.now().uptimeNanoseconds
    nonisolated(unsafe) private static var handle: FileHandle? = {
        guard let path = ProcessInfo.processInfo.environment["PETAL_TRACE"], !path.isEmpty else { return nil }
        FileManager.default.createFile(atPath: path, contents: nil)
        return FileHandle(forWritingAtPath: path)
    }()
    nonisolated(unsafe) private static var sawTable = false

    static var now: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

    static func mark(_ event: String) {
        guard let handle else { return }
        handle.write(Data(String(format: "%.3f %@\n", now, event).utf8))
    }

    static func frame(showsTable: Bool, milliseconds: Double, sinceKey: Double?) {
        guard handle != nil else { return }
        if showsTable && !sawTable {
            sawTable = true
            mark("first table frame")
        }
        mark(String(format: "redraw %.3f", milliseconds))
        if let sinceKey { mark(String(format: "key-to-frame %.3f", sinceKey)) }
    }
}
