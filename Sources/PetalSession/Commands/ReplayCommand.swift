import PetalData
import PetalTracking

/// `replay N`: runs a run's recorded commands again in a fresh headless session (nothing is recorded), refuses
/// when the data's fingerprint changed, and says whether every metric came out identical.
public enum ReplayCommand: PetalCommand {
    public static let name = "replay"
    public static let syntax = "replay N"
    public static let summary = "re-run a run's commands on the same data and check that the metrics come out identical"

    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 1, syntax: syntax)
        let id = try RunFormatting.runID(args.positional.first, verb: name, syntax: syntax)
        let detail = try session.requireStore().run(id)
        let run = detail.summary
        if let parent = run.tags["parent_run"] {
            throw PetalError("run \(id) is one combination of search run \(parent)", hint: "replay \(parent) runs the whole search again")
        }
        guard let last = detail.commands.last else { throw PetalError("run \(id) has no recorded commands to replay") }
        // A built-in sample needs no command: the fresh session finds it by name (and the fingerprint is checked).
        if let missing = run.tags["unlogged_inputs"], !missing.split(separator: ",").allSatisfy({ BundledSamples.named(String($0)) != nil }) {
            throw PetalError("run \(id) used \(missing), which no command of its session created (a built-in sample?)",
                            hint: "open the data with open FILE, then fit again: that run can be replayed")
        }
        let fresh = Session(width: session.width, unicode: session.unicode)
        for (k, command) in detail.commands.dropLast().enumerated() {
            let e = fresh.execute(command)
            if let error = e.error {
                throw PetalError("replaying run \(id) failed at command \(k + 1), \(command): \(error.message)", hint: error.hint)
            }
        }
        if let name = run.dataset, let recorded = run.fingerprint {
            let frame = try fresh.dataset(name).frame
            let now = DataFingerprint.of(frame)
            guard now == recorded else {
                throw PetalError("the data changed since run \(id): \(name) now has fingerprint \(now.prefix(12))…, the run saw \(recorded.prefix(12))…",
                                hint: "replay needs the same data; restore the file, URL or table the run used (its commands: \(detail.commands.first ?? ""))")
            }
        }
        let final = fresh.execute(last)
        if let error = final.error { throw PetalError("replaying run \(id) failed at \(last): \(error.message)", hint: error.hint) }
        guard let output = final.output as? any TrackedOutput else { throw PetalError("\(last) does not produce metrics to compare") }
        return ReplayOutput(run: id, commands: detail.commands.count, recorded: detail.curves, replayed: output.runMetrics)
    }
}

/// The result of `replay`: each metric recorded and replayed, and whether all are identical.
public struct ReplayOutput: CommandOutput {
    public var run: Int
    public var commands: Int
    public var rows: [(key: String, steps: Int, recorded: Double?, replayed: Double?, same: Bool)] = []

    init(run: Int, commands: Int, recorded: [(key: String, points: [(step: Int, value: Double?)])], replayed: [MetricPoint]) {
        self.run = run
        self.commands = commands
        var byKey: [String: [Int: Double?]] = [:]
        for p in replayed { byKey[p.key, default: [:]][p.step] = p.value }
        var keys = recorded.map(\.key)
        keys += byKey.keys.filter { !keys.contains($0) }.sorted()
        for key in keys {
            let old = recorded.first { $0.key == key }?.points ?? []
            let new = byKey[key] ?? [:]
            let steps = Set(old.map(\.step)).union(new.keys)
            let same = steps.allSatisfy { s in
                let a = old.first { $0.step == s }?.value ?? nil
                let b = new[s] ?? nil
                return a == b || (a?.isNaN == true && b?.isNaN == true)
            }
            let lastStep = steps.max() ?? 0
            rows.append((key, steps.count, old.first { $0.step == lastStep }?.value ?? nil, new[lastStep] ?? nil, same))
        }
    }

    public var identical: Bool { rows.allSatisfy(\.same) }

    public func renderText(width: Int) -> String {
        var table = TextTable(headers: ["metric", "recorded", "replayed", ""], alignments: [.left, .right, .right, .left],
                              rows: rows.map { r in
                                  [r.key + (r.steps > 1 ? " (\(r.steps) steps, last)" : ""), RunFormatting.number(r.recorded),
                                   RunFormatting.number(r.replayed), r.same ? "same" : "DIFFERS"]
                              })
        table.stickyColumns = 1
        let differing = rows.filter { !$0.same }.count
        return "replayed run \(run): \(commands) command\(commands == 1 ? "" : "s") in a fresh session on the same data\n"
            + table.render(width: width) + "\n"
            + (identical ? "every metric is identical" : "\(differing) metric\(differing == 1 ? "" : "s") differ")
    }

    public func json() -> JSONValue {
        .object([("run_id", .int(run)), ("identical", .bool(identical)),
                 ("metrics", .array(rows.map { r in
                     .object([("key", .string(r.key)), ("steps", .int(r.steps)), ("recorded", .number(r.recorded)),
                              ("replayed", .number(r.replayed)), ("same", .bool(r.same))])
                 }))])
    }
}
