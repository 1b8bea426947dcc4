import Foundation
import Synchronization

/// The server's own threads. Every task of a `ModelServer` (the service group, each connection, each request
/// handler, the model watcher) prefers this executor, so the server answers while the process's cooperative
/// threads are busy or blocked: a workbench command or a host that waits synchronously on the cooperative pool
/// (two threads on a two-core machine) would otherwise leave requests unanswered until the client times out.
final class ServerExecutor: TaskExecutor, Sendable {
    /// One pool for every server in the process: at least two threads, one per core on bigger machines.
    static let shared = ServerExecutor(threads: max(2, ProcessInfo.processInfo.activeProcessorCount))

    private struct Queue {
        var jobs: [UnownedJob] = []
        var head = 0
        mutating func push(_ job: UnownedJob) { jobs.append(job) }
        mutating func pop() -> UnownedJob? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            head += 1
            if head == jobs.count { jobs.removeAll(keepingCapacity: true); head = 0 }
            return job
        }
    }

    private let queue = Mutex(Queue())
    /// Counts the jobs queued and not yet taken.
    private let waiting = DispatchSemaphore(value: 0)

    private init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in work() }
            thread.name = "petal-serve-\(index)"
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.withLock { $0.push(job) }
        waiting.signal()
    }

    private func work() {
        let executor = asUnownedTaskExecutor()
        while true {
            waiting.wait()
            if let job = queue.withLock({ $0.pop() }) { job.runSynchronously(on: executor) }
        }
    }
}
