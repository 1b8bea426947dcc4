import ArgumentParser
import Foundation
import PetalData
import PetalFeatures
import PetalSession

/// `petal jobs [run-due | daemon | run NAME | exec SCRIPT]`: the scheduler without the workbench.
struct Jobs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Scheduled jobs: list them, run those due (from cron), or keep running them (daemon).",
        subcommands: [JobsList.self, JobsRunDue.self, JobsDaemon.self, JobsRun.self, JobsExec.self],
        defaultSubcommand: JobsList.self)
}

/// Runs one command of the language in a tracked session that can start jobs, and prints it.
private func runJobsCommand(_ line: String, output: OutputOptions) throws {
    let session = output.makeTrackedSession()
    defer { Tracking.end(session) }
    let execution = session.execute(line)
    Printer.show(execution, json: output.json, session: session)
    if !execution.ok { throw ExitCode(1) }
}

struct JobsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the jobs: last and next run, status, duration, log.")
    @OptionGroup var output: OutputOptions
    func run() throws { try runJobsCommand("jobs", output: output) }
}

struct JobsRunDue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-due",
        abstract: "Run every job that is due, once (idempotent, locked: safe to call every minute from cron).",
        discussion: "crontab: * * * * * cd /path/to/project && petal jobs run-due >> .petal/jobs.out 2>&1")
    @OptionGroup var output: OutputOptions
    func run() throws { try runJobsCommand("jobs run-due", output: output) }
}

struct JobsRun: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run one job now, due or not.")
    @Argument(help: "The job's name.") var name: String
    @OptionGroup var output: OutputOptions
    func run() throws { try runJobsCommand("jobs run \(Quote.argument(name))", output: output) }
}

struct JobsDaemon: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "daemon", abstract: "Run due jobs every minute until stopped (Ctrl-C, SIGTERM).")
    @Option(help: "Seconds between checks.") var every: Int = 60
    @OptionGroup var output: OutputOptions
    func run() throws {
        guard every > 0 else { throw ValidationError("--every must be at least 1 second") }
        while true {
            let session = output.makeTrackedSession()
            let execution = session.execute("jobs run-due")
            if !(execution.output is JobRunsOutput && execution.renderText(width: 80) == "no job is due") {
                Printer.show(execution, json: output.json, session: session)
            }
            sleep(UInt32(every))
        }
    }
}

/// What a job's child process runs: the script or notebook, then the retraining gate.
struct JobsExec: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "Run a job's script or notebook in this project (what run-due starts).")
    @Argument(help: "A .petal script or .md notebook.") var script: String
    @Option(help: "Promote the last fitted pipeline to MODEL@ALIAS after the script.") var register: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let session = output.makeTrackedSession()
        defer { Tracking.end(session) }
        var scripts: [String] = []
        do {
            if script.hasSuffix(".md") {
                scripts = try Notebook(path: script).blocks.map(\.commands)
            } else {
                try FileCheck.requireReadableFile(script)
                guard let text = String(validating: try FileCheck.readAll(script), as: UTF8.self) else {
                    throw PetalError("the script is not valid UTF-8", at: SourceLocation(file: script))
                }
                scripts = [text]
            }
        } catch let e as PetalError {
            FileHandle.standardError.write(Data("error: \(e)\n".utf8)); throw ExitCode(1)
        }
        if let register { scripts.append("promote to \(Quote.argument(register))") }
        var failed = 0
        for text in scripts {
            for execution in session.executeScript(text) {
                if !execution.ok { failed += 1 }
                if !output.json { print("petal> \(execution.input)") }
                Printer.show(execution, json: output.json, session: session)
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }
}

/// Starts `petal jobs exec SCRIPT` as a child process of this same binary, with the job's timeout: SIGTERM at the
/// timeout, SIGKILL five seconds later. Output (standard output and error together) becomes the job's log.
final class JobProcess: JobLauncher {
    func launch(_ job: Job, environment: [String: String]) -> JobAttempt {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.executable)
        p.arguments = ["jobs", "exec", job.script, "--width", "100"] + (job.register.map { ["--register", $0] } ?? [])
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        let collected = OutputBox()
        let reader = Thread {
            collected.set(pipe.fileHandleForReading.readDataToEndOfFile())
        }
        do { try p.run() } catch {
            return JobAttempt(exitCode: 127, output: "error: cannot start \(Self.executable): \(error.localizedDescription)\n", timedOut: false)
        }
        try? pipe.fileHandleForWriting.close()
        reader.start()
        let deadline = Date().addingTimeInterval(Double(job.timeout))
        var timedOut = false
        while p.isRunning {
            if Date() >= deadline {
                timedOut = true
                p.terminate()
                let kill = Date().addingTimeInterval(5)
                while p.isRunning && Date() < kill { usleep(50_000) }
                if p.isRunning { Foundation.kill(p.processIdentifier, SIGKILL) }
                break
            }
            usleep(50_000)
        }
        p.waitUntilExit()
        let output = collected.wait()
        return JobAttempt(exitCode: p.terminationStatus, output: String(decoding: output, as: UTF8.self), timedOut: timedOut)
    }

    /// This binary (`/proc/self/exe` on Linux, else the path it was started by).
    static var executable: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

/// The child's output, handed from the reading thread.
private final class OutputBox: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()
    func set(_ d: Data) { data = d; done.signal() }
    func wait() -> Data { done.wait(); return data }
}
