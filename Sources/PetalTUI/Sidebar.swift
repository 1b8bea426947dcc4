import Foundation
import PetalData
import PetalSession

/// One selectable line of the sidebar.
public struct SidebarEntry: Sendable, Equatable {
    public enum Kind: String, Sendable { case dataset, pipeline, model, run, experiment }
    public var kind: Kind
    public var name: String
    public var detail: String
}

/// The sidebar's sections: data sets, pipelines, registered models and runs, each entry selectable.
extension Workbench {
    /// Section titles in order, with their entries.
    public var sidebarSections: [(title: String, entries: [SidebarEntry], empty: String)] {
        frozenSidebar ?? liveSidebarSections
    }

    /// The sections read from the session (only while no command runs on it).
    var liveSidebarSections: [(title: String, entries: [SidebarEntry], empty: String)] {
        let data = session.datasets.map {
            SidebarEntry(kind: .dataset, name: $0.name, detail: "\(NumberFormat.count($0.frame.rowCount))×\($0.frame.columns.count)")
        }
        let pipes = session.pipelines.map {
            SidebarEntry(kind: .pipeline, name: $0.name, detail: $0.fit == nil ? "not fitted" : Workbench.score($0))
        }
        let t = trackingEntries
        return [("Data sets", data, "open PATH"), ("Pipelines", pipes, "pipeline P = …"),
                ("Models", t.models, "register P as NAME"), ("Runs", t.runs, t.unavailable ?? "fit records runs"),
                ("Experiments", t.experiments, t.unavailable ?? "experiment NAME")]
    }

    /// Asks the session for registered models, the latest runs and the experiments (after each command, not per
    /// frame; only the runs shown are read).
    public func refreshTracking() {
        if let unavailable = session.trackingUnavailable {
            trackingEntries = TrackingEntries(unavailable: unavailable)
            return
        }
        var entries = TrackingEntries()
        entries.models = ((try? session.registeredModels()) ?? []).map { SidebarEntry(kind: .model, name: $0.name, detail: $0.pointer) }
        entries.runs = ((try? session.recentRuns(limit: Workbench.sidebarRuns)) ?? []).map { r in
            let detail = r.value.map { String(format: $0 > 100 ? "%.0f" : "%.3f", $0) } ?? r.status
            return SidebarEntry(kind: .run, name: "#\(r.id) \(r.label)", detail: detail)
        }
        entries.experiments = ((try? session.experiments()) ?? []).map {
            SidebarEntry(kind: .experiment, name: ($0.current ? "• " : "") + $0.name, detail: "\($0.runs)")
        }
        trackingEntries = entries
    }

    /// How many of the latest runs the sidebar lists.
    static let sidebarRuns = 6

    /// Every selectable entry, in sidebar order.
    public var sidebarEntries: [SidebarEntry] { sidebarSections.flatMap(\.entries) }

    static func score(_ entry: PipelineEntry) -> String {
        guard let fit = entry.fit else { return "" }
        switch fit.evaluation {
        case .classification(let m, _, _, _): return "acc " + String(format: "%.3f", m.accuracy)
        case .regression(let m, _, _): return "R² " + String(format: "%.3f", m.r2)
        case .clustering(let inertia, _, _, _): return "inertia " + NumberFormat.single(inertia.rounded())
        }
    }

    func sidebarKey(_ key: Key) -> Effect {
        let count = sidebarEntries.count
        switch key {
        case .down, .character("j"): sidebarIndex = min(max(0, count - 1), sidebarIndex + 1)
        case .up, .character("k"): sidebarIndex = max(0, sidebarIndex - 1)
        case .enter, .right, .character("l"): return openSidebarEntry()
        case .escape, .left, .character("h"), .character("s"): focus = .view
        case .character(":"), .tab: focus = .commandLine
        case .character("q"): focus = .view
        default: break
        }
        return .none
    }

    /// Opens the selected entry: a data set's table, a pipeline's report (or its steps when not fitted).
    func openSidebarEntry() -> Effect {
        guard let entry = sidebarEntries[safe: sidebarIndex] else { return .none }
        focus = .view
        switch entry.kind {
        case .dataset: return submit("view \(entry.name)")
        case .pipeline:
            let fitted = session.pipelines.first { $0.name == entry.name }?.fit != nil
            if fitted { return submit("report \(entry.name)") }
            // Not fitted: its steps on a page (the short text would otherwise only reach the log).
            guard busy == nil else { return submit("pipeline \(entry.name)") }
            let steps = session.execute("pipeline \(entry.name)")
            push(TextView(title: "pipeline \(entry.name) (not fitted)", text: steps.renderText(width: max(20, mainRect.width)),
                          wrapping: max(20, mainRect.width)))
            return .none
        case .model: return submit("models")
        case .run:
            let id = entry.name.dropFirst().prefix { $0.isNumber }
            return submit("run \(id)")
        case .experiment:
            let name = entry.name.hasPrefix("• ") ? String(entry.name.dropFirst(2)) : entry.name
            return submit("experiment \(name); runs")
        }
    }

    /// Draws the sidebar into `rect`, remembering which screen row shows which entry (for clicks).
    func drawSidebar(into grid: inout Grid, rect: Rect, context: DrawContext) {
        sidebarRows = [:]
        var y = rect.y
        var index = 0
        let current = currentDataset
        for section in sidebarSections where y < rect.maxY {
            grid.put(section.title, x: rect.x + 1, y: y, style: CellStyle(.muted, bold: true), maxX: rect.maxX)
            y += 1
            if section.entries.isEmpty, y < rect.maxY {
                grid.put("  " + section.empty, x: rect.x, y: y, style: .muted, maxX: rect.maxX, ellipsis: true)
                y += 1
            }
            for entry in section.entries {
                defer { index += 1 }
                guard y < rect.maxY else { continue }
                var style = entry.kind == .dataset && entry.name == current ? CellStyle(.accent) : CellStyle.plain
                if focus == .sidebar && index == sidebarIndex { style = .selected }
                grid.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: style)
                let detailWidth = TextWidth.of(entry.detail)
                grid.put("  " + entry.name, x: rect.x, y: y, style: style, maxX: rect.maxX - detailWidth - 1, ellipsis: true)
                grid.put(entry.detail, x: rect.maxX - detailWidth, y: y, style: style.reverse ? style : .muted, maxX: rect.maxX)
                sidebarRows[y] = index
                y += 1
            }
            y += 1
        }
    }
}

/// What the sidebar shows from the tracking store, read after each command.
struct TrackingEntries: Sendable {
    var models: [SidebarEntry] = []
    var runs: [SidebarEntry] = []
    var experiments: [SidebarEntry] = []
    /// Why there is nothing to show (no store), in place of the empty-section hints.
    var unavailable: String?
}
