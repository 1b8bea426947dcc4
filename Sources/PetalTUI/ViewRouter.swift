import PetalData
import PetalSession

/// Chooses the full-screen view for a command's result: tables for data, plots for histograms and scatter
/// plots, heatmaps for correlations and confusion matrices, and scrollable text for the rest.
enum ViewRouter {
    static func view(for execution: Execution, output: any CommandOutput, session: Session, width: Int) -> (any WorkbenchView)? {
        let title = execution.input
        if let open = output as? OpenOutput, let d = try? session.dataset(open.name) {
            return TableView(dataset: d.name, frame: d.frame)
        }
        if let frame = output as? FrameOutput {
            if ["head", "tail", "sample"].contains(execution.verb) {
                return TextView(title: title, text: frame.renderText(width: Int.max))
            }
            if let d = try? session.dataset(frame.dataset) { return TableView(dataset: d.name, frame: d.frame) }
            return TextView(title: title, text: frame.renderText(width: Int.max))
        }
        if let hist = output as? HistogramOutput { return histogram(hist, session: session) }
        if let scatter = output as? ScatterOutput { return ScatterView(output: scatter) }
        if let curves = output as? CurvesOutput { return CurvesView(output: curves) }
        if let monitor = output as? MonitorOutput { return MonitorView(output: monitor) }
        if let corr = output as? CorrOutput {
            let skipped = corr.skipped.isEmpty ? nil : "not numeric, left out: " + corr.skipped.joined(separator: ", ")
            return HeatmapView(title: "\(corr.dataset): correlation", heatmap: Heatmap.correlation(corr), footnote: skipped)
        }
        if let report = output as? ReportOutput { return reportView(report, session: session, width: width) }
        if let fit = output as? FitOutput {
            // After a fit, show its report right away (what the student wants to see next), built from the result.
            return reportView(ReportOutput(pipeline: fit.pipeline, fit: fit.result), session: session, width: width)
        }
        if let counts = output as? CountsOutput, let d = try? session.dataset(counts.dataset) {
            return CountsView(output: counts, frame: d.frame, width: max(20, width))
        }
        if let tables = output as? TablesOutput {
            return PickListView(title: title, text: tables.renderText(width: Int.max), firstLine: 2,
                                commands: tables.tables.map { "open \(Quote.argument(tables.path)) table=\(Quote.argument($0.name))" })
        }
        if let demo = output as? DemoOutput { return DemoView(output: demo) }
        if let runs = output as? RunsOutput { return RunsView(output: runs) }
        if let help = output as? HelpOutput, help.topic == nil { return HelpView() }
        return TextView(title: title, rendering: output, width: max(20, width))
    }

    /// The report view, with the rows behind each confusion-matrix cell for drilling down (classification): the
    /// fit kept each scored row's prediction, so nothing is predicted again here.
    static func reportView(_ report: ReportOutput, session: Session, width: Int) -> ReportView {
        var view = ReportView(output: report, width: width)
        guard let fit = session.pipelines.first(where: { $0.name == report.pipeline })?.fit, fit.dataset == report.dataset,
              let cells = fit.confusionRows, let d = try? session.dataset(fit.dataset),
              cells.allSatisfy({ $0.allSatisfy { $0.allSatisfy { $0 < d.frame.rowCount } } }) else { return view }
        view.cellRows = cells
        view.frame = d.frame
        return view
    }

    /// The histogram view, stacked by class when the data set has a known target.
    static func histogram(_ hist: HistogramOutput, session: Session) -> HistogramView {
        guard let target = session.knownTarget(for: hist.dataset), target != hist.column,
              let d = try? session.dataset(hist.dataset),
              let classColumn = d.frame.column(named: target), let values = d.frame.column(named: hist.column)?.doublesWithNaN() else {
            return HistogramView(output: hist)
        }
        let (names, codes) = ClassCodes.of(classColumn)
        guard !names.isEmpty else { return HistogramView(output: hist) }
        let stacks = HistogramView.stacks(values: values, codes: codes, classCount: names.count, edges: hist.histogram.edges)
        return HistogramView(output: hist, classNames: names, stacks: stacks)
    }
}
