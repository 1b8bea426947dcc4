import Foundation
import PetalBundle
import PetalData

/// `drift BUNDLE on NAME`: has new data moved away from what the model was trained on? PSI and a KS test per
/// column against the training statistics stored in the bundle.
public enum DriftCommand: PetalCommand {
    public static let name = "drift"
    public static let syntax = "drift BUNDLE on NAME"
    public static let summary = "compare a data set with a bundle's training data: PSI and a KS test per column"
    public static let help = """
        For each input column of the bundle's model:
          numbers  PSI over the training deciles, and a two-sample Kolmogorov–Smirnov test against the training
                   distribution (rebuilt from 101 stored percentiles): D and its p-value
          text     PSI over the training categories, plus one bucket for categories never seen in training
        PSI p is the chance of a PSI that large between two samples of one distribution (χ² approximation):
        small samples have large PSI by chance.
        nulls is the share of nulls in the data (in the training data).
        Status: moved (PSI ≥ 0.25 with PSI p < 0.01, or for numbers KS p < 0.001 with D ≥ 0.1),
        watch (PSI ≥ 0.1 with PSI p < 0.05, or PSI ≥ 0.25 in a sample too small to tell), else stable.
        The last line names the columns that moved.
        Example:
          export p to bundles/iris
          drift bundles/iris on new_flowers
        """

    public static func complete(_ context: CompletionContext) -> [String] {
        switch context.previous.count {
        case 1: return Completion.paths(context.partial)
        case 2: return ["on"]
        default: return context.session.datasets.map(\.name)
        }
    }

    public static func run(_ args: Arguments, in session: Session) throws -> any CommandOutput {
        let path = try args.required(0, "a bundle folder", syntax: syntax)
        guard args.positional[safe: 1]?.lowercased() == "on", let name = args.positional[safe: 2] else {
            throw PetalError("drift needs on DATASET", hint: "usage: \(syntax)")
        }
        try args.checkPositional(max: 3, syntax: syntax)
        let bundle = try ServingBundle.load(from: URL(fileURLWithPath: path))
        let dataset = try session.dataset(name)
        do {
            return DriftOutput(bundle: path, dataset: dataset.name, report: try DriftReport.compare(bundle.manifest, with: dataset.frame))
        } catch let e as BundleInputError { throw e.dataError }
    }
}

/// The result of `drift`: one row per input column, then which moved.
public struct DriftOutput: CommandOutput {
    public var bundle: String
    public var dataset: String
    public var report: DriftReport

    static func fixed(_ v: Double?, _ digits: Int) -> String { v.map { String(format: "%.\(digits)f", $0) } ?? "" }
    static func p(_ v: Double) -> String { v < 0.0001 ? "<0.0001" : String(format: "%.4f", v) }

    public func renderText(width: Int) -> String {
        let rows = report.columns.map { c -> [String] in
            [c.name, c.type.rawValue, NumberFormat.count(c.rows), Self.fixed(c.psi, 3), Self.p(c.psiPValue), Self.fixed(c.ks, 3), c.pValue.map(Self.p) ?? "",
             String(format: "%.1f%% (%.1f%%)", 100 * c.nullShare, 100 * c.trainingNullShare), c.status]
        }
        var table = TextTable(headers: ["column", "type", "rows", "PSI", "PSI p", "KS D", "KS p", "nulls", "status"],
                              alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .left], rows: rows)
        table.stickyColumns = 1
        let moved = report.moved
        let summary = moved.isEmpty ? "no column moved (no PSI ≥ 0.25 beyond chance, no KS shift)"
            : "moved: " + moved.joined(separator: ", ") + " — retrain or check the data source"
        return "drift of \(dataset) against the training data of \(bundle) (\(NumberFormat.count(report.trainingRows)) rows)\n"
            + table.render(width: width) + "\n" + summary + (report.rowsNote.map { "\n" + $0 } ?? "")
    }

    public func json() -> JSONValue {
        .object([
            ("bundle", .string(bundle)), ("dataset", .string(dataset)), ("training_rows", .int(report.trainingRows)),
            ("columns", .array(report.columns.map { c in
                .object([("name", .string(c.name)), ("type", .string(c.type.rawValue)), ("rows", .int(c.rows)), ("psi", .number(c.psi)), ("psi_p_value", .number(c.psiPValue)),
                         ("ks", .number(c.ks)), ("p_value", .number(c.pValue)), ("null_share", .number(c.nullShare)),
                         ("training_null_share", .number(c.trainingNullShare)), ("status", .string(c.status))])
            })),
            ("moved", .array(report.moved.map { .string($0) })), ("rows_needed", .int(DriftReport.minimumRows)),
        ])
    }
}
