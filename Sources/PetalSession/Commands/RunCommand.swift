import Foundation
import PetalData
import PetalTracking

/// `run N`: one run in full — params, metrics (curves as sparklines), tags, note, artifacts and its commands.
public enum RunCommand: PetalCommand {
    public static let name = "run"
    public static let aliases = ["show-run"]
    public static let syntax = "run N"
    public static let summary = "show one recorded run: params, metrics, curves, artifacts and the commands behind it"

    public static func complete(_ context: CompletionContext) -> [String] { [] }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        try args.checkPositional(max: 1, syntax: syntax)
        let id = try RunFormatting.runID(args.positional.first, verb: name, syntax: syntax)
        let store = try session.requireStore()
        return RunOutput(detail: try store.run(id), folder: store.folder)
    }
}

/// The result of `run N`.
public struct RunOutput: CommandOutput {
    public var detail: RunDetail
    /// The tracking folder, to show where artifacts are.
    public var folder: String

    public func renderText(width: Int) -> String { renderText(in: RenderContext(width: width)) }

    public func renderText(in context: RenderContext) -> String {
        let r = detail.summary
        var lines = ["run \(r.id) · \(r.kind) · \(r.status.rawValue)\(r.deleted ? " (deleted)" : "") · experiment \(r.experiment)"]
        func field(_ name: String, _ value: String) { if !value.isEmpty { lines.append("  " + pad(name, 11) + value) } }
        field("pipeline", [r.pipelineName, r.pipeline].compactMap { $0 }.joined(separator: ": "))
        field("data", (r.dataset ?? "") + (r.fingerprint.map { " (sha256 \($0.prefix(16))…)" } ?? ""))
        field("seed", r.seed.map(String.init) ?? "")
        field("started", RunFormatting.time(r.started) + (r.duration.map { "   took " + RunFormatting.duration($0) } ?? ""))
        field("petal", detail.petalVersion ?? "")
        field("note", r.note)
        field("error", detail.error ?? "")
        if !r.params.isEmpty {
            lines.append("params")
            let w = min(32, r.params.keys.map(TextWidth.of).max() ?? 0)
            for (k, v) in r.params.sorted(by: { $0.key < $1.key }) { lines.append("  " + pad(k, w) + "  " + v) }
        }
        if !detail.curves.isEmpty {
            lines.append("metrics")
            let w = min(32, detail.curves.map { TextWidth.of($0.key) }.max() ?? 0)
            for c in detail.curves {
                if c.points.count == 1 {
                    lines.append("  " + pad(c.key, w) + "  " + RunFormatting.number(c.points[0].value))
                } else {
                    let m = r.metrics[c.key]
                    lines.append("  " + pad(c.key, w) + "  " + Sparkline.render(c.points.map(\.value), width: 24, unicode: context.unicode)
                                 + "  last \(RunFormatting.number(m?.last))  min \(RunFormatting.number(m?.min))  max \(RunFormatting.number(m?.max))  (\(c.points.count) steps)")
                }
            }
        }
        if !r.tags.isEmpty {
            lines.append("tags")
            for (k, v) in r.tags.sorted(by: { $0.key < $1.key }) { lines.append("  \(k)=\(v)") }
        }
        if !detail.artifacts.isEmpty {
            lines.append("artifacts (in the tracking folder)")
            for a in detail.artifacts { lines.append("  " + a.path) }
        }
        if !detail.commands.isEmpty {
            lines.append("commands (replay \(r.id) runs them again)")
            for c in detail.commands { lines.append("  " + c) }
        }
        return lines.joined(separator: "\n")
    }

    public func json() -> JSONValue {
        guard case .object(var fields) = RunFormatting.json(detail.summary) else { return .null }
        fields.append(("curves", .object(detail.curves.map { c in
            (c.key, .array(c.points.map { .object([("step", .int($0.step)), ("value", .number($0.value))]) }))
        })))
        fields.append(("commands", .array(detail.commands.map { .string($0) })))
        fields.append(("artifacts", .object(detail.artifacts.map { ($0.name, .string(($0.path))) })))
        fields.append(("petal_version", detail.petalVersion.map { .string($0) } ?? .null))
        fields.append(("error", detail.error.map { .string($0) } ?? .null))
        return .object(fields)
    }
}
