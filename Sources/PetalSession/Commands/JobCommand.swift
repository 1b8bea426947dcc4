import Foundation
import PetalData
import PetalFeatures

/// `job NAME every=1d|cron="…" run=SCRIPT [register=MODEL@ALIAS] [timeout=30m] [retries=0]`: a scheduled pipeline.
public enum JobCommand: PetalCommand {
    public static let name = "job"
    public static let syntax = "job NAME every=1d|cron=\"M H D M W\" run=SCRIPT.petal|NOTEBOOK.md [register=MODEL@ALIAS] [timeout=30m] [retries=0]  |  job NAME remove"
    public static let summary = "schedule a petal script or notebook (a feature, training or inference pipeline)"
    static let every = CommandOption("every", placeholder: "1d",
                                     help: "an interval, 30m, 12h, 1d or 7d (runs stay on that grid; missed runs are skipped, not replayed)")
    static let cron = CommandOption("cron", placeholder: "\"0 6 * * 1\"", help: "minute hour day month weekday, UTC (instead of every=)")
    static let run = CommandOption("run", placeholder: "SCRIPT", help: "the .petal script or .md notebook to run (required)")
    static let register = CommandOption("register", aliases: ["alias"], placeholder: "MODEL@ALIAS",
                                        help: "after the script, promote the pipeline it fitted last to MODEL@ALIAS: registered as the next version, the alias moves only if it beats the alias's model (promote)")
    static let timeout = CommandOption("timeout", default: "30m", help: "an attempt running longer is stopped (90s, 30m, 2h)")
    static let retries = CommandOption("retries", .integer(0...10), default: "0", help: "attempts after a failed one")
    public static let options = [every, cron, run, register, timeout, retries]
    public static let help = """
        A job runs a script (.petal: commands one per line) or a notebook (.md: its petal blocks) in a fresh petal
        process in this project, on a schedule, when `petal jobs run-due` is called (cron or a systemd timer can call
        it every minute; `petal jobs daemon` calls it itself). The first run is due at once. Each run is a tracked run
        of kind job with its output as the job.log artifact (runs where kind = "job"; run N shows it).
        Defining a job again replaces its definition and keeps its history. job NAME remove deletes it.
        Examples:
          job features_daily every=1d run=pipelines/features.petal
          job train_weekly every=7d run=pipelines/train.petal register=iris@champion
        """

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let name = try args.required(0, "a job name", syntax: syntax)
        try GroupSchema.checkName(name, what: "job")
        let jobs = try session.requireJobStorage()
        if args.positional[safe: 1]?.lowercased() == "remove" {
            try args.checkPositional(max: 2, syntax: syntax)
            guard try jobs.removeJob(name) else { throw PetalError("no job called \(name)", hint: "jobs lists them") }
            return MessageOutput("removed job \(name)", fields: [("job", .string(name)), ("removed", .bool(true))])
        }
        try args.checkPositional(max: 1, syntax: syntax)
        let schedule: Schedule
        switch (args.text(Self.every), args.text(Self.cron)) {
        case (let e?, nil): schedule = try Schedule.every(e)
        case (nil, let c?): schedule = .cron(try CronExpression(c))
        case (nil, nil): throw PetalError("a job needs every=INTERVAL or cron=\"…\"", hint: "e.g. job \(name) every=1d run=pipeline.petal")
        default: throw PetalError("give every= or cron=, not both")
        }
        guard let script = args.text(Self.run) else { throw PetalError("a job needs run=SCRIPT", hint: "a .petal script or a .md notebook") }
        guard script.hasSuffix(".petal") || script.hasSuffix(".md") else {
            throw PetalError("run=\(script): a job runs a .petal script or a .md notebook", hint: "rename the file, e.g. \(script).petal")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw PetalError("run=\(script): no such file", hint: "paths are relative to the project folder \(FileManager.default.currentDirectoryPath)")
        }
        let register = args.text(Self.register)
        if let register {
            let parts = register.split(separator: "@", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw PetalError("register=\(register) is not MODEL@ALIAS", hint: "e.g. register=iris@champion") }
        }
        let timeout = try seconds(args.value(Self.timeout) ?? "30m", option: args.written(Self.timeout))
        let retries = try args.int(Self.retries)
        let now = session.featureClockNow()
        let job = Job(name: name, schedule: schedule, script: script, register: register, timeout: timeout, retries: retries, anchor: now)
        try jobs.saveJob(job, nextDue: now)
        return MessageOutput("job \(name): \(script) \(schedule.text)" + (register.map { ", then promote to \($0)" } ?? "")
                             + "; due now (petal jobs run-due runs it)",
                             fields: [("job", .string(name)), ("schedule", .string(schedule.text)), ("run", .string(script)),
                                      ("register", register.map { .string($0) } ?? .null), ("timeout", .int(timeout)), ("retries", .int(retries))])
    }

    /// `30s`, `10m`, `2h` as seconds.
    static func seconds(_ text: String, option: String) throws -> Int {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600]
        if let n = Int(text), n > 0 { return n }
        guard let unit = text.last.flatMap({ units[$0] }), let n = Int(text.dropLast()), n > 0, n <= 1_000_000 else {
            throw PetalError("\(option)=\(text) is not a duration", hint: "e.g. \(option)=90s, \(option)=30m, \(option)=2h")
        }
        return n * unit
    }
}

extension Session {
    /// Now on the tracking store's clock (counting in notebooks).
    func featureClockNow() -> Double { tracker?.store?.clock.now() ?? Date().timeIntervalSince1970 }
}
