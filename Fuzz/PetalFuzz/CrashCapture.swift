import Foundation

/// Saves the input being run when the process dies of a signal (a trap, a stack overflow, SIGBUS) or runs past
/// a time limit, so the crasher can be replayed and made a regression test. The handler only uses
/// async-signal-safe calls (open, write, _exit) on a buffer filled before each run, on its own stack (a stack
/// overflow leaves none).
enum CrashCapture {
    nonisolated(unsafe) static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    nonisolated(unsafe) static var capacity = 1
    nonisolated(unsafe) static var length = 0
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var timeoutPath: UnsafeMutablePointer<CChar>?

    /// Installs the handlers; a crash writes the current input to `crashFile`, a hang to `timeoutFile`.
    static func install(crashFile: String, timeoutFile: String) {
        path = strdup(crashFile)
        timeoutPath = strdup(timeoutFile)
        let altSize = 1 << 18
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: altSize, alignment: 16)
        stack.ss_size = altSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGALRM] {
            var action = sigaction()
            #if os(Linux)
            action.__sigaction_handler.sa_handler = { sig in CrashCapture.handle(sig) }
            #else
            action.__sigaction_u.__sa_handler = { sig in CrashCapture.handle(sig) }
            #endif
            action.sa_flags = Int32(SA_ONSTACK)
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
        }
    }

    /// Copies `input` where the handler can find it.
    static func set(_ input: [UInt8]) {
        if input.count > capacity {
            buffer.deallocate()
            capacity = max(input.count, capacity * 2)
            buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        }
        input.withUnsafeBufferPointer { if let base = $0.baseAddress { buffer.update(from: base, count: input.count) } }
        length = input.count
    }

    static func handle(_ sig: Int32) {
        let target = sig == SIGALRM ? timeoutPath : path
        if let target {
            let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if fd >= 0 {
                _ = write(fd, buffer, length)
                close(fd)
            }
            let note = sig == SIGALRM ? "PetalFuzz: an input ran too long; saved to " : "PetalFuzz: crashed; the input is saved to "
            _ = note.withCString { write(2, $0, strlen($0)) }
            _ = write(2, target, strlen(target))
            _ = "\n".withCString { write(2, $0, 1) }
        }
        _exit(sig == SIGALRM ? 3 : 2)
    }
}
