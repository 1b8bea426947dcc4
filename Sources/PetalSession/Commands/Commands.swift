import PetalData

/// The registry of commands, in the order `help` lists them.
public enum Commands {
    public static let all: [CommandEntry] = [
        CommandEntry(OpenCommand.self), CommandEntry(DatasetsCommand.self),
        CommandEntry(DescribeCommand.self), CommandEntry(HeadCommand.self), CommandEntry(TailCommand.self),
        CommandEntry(SampleCommand.self), CommandEntry(CountsCommand.self), CommandEntry(UniqueCommand.self),
        CommandEntry(NullsCommand.self), CommandEntry(HistCommand.self), CommandEntry(ScatterCommand.self), CommandEntry(CorrCommand.self),
        CommandEntry(SortCommand.self), CommandEntry(SelectCommand.self), CommandEntry(FilterCommand.self),
        CommandEntry(SaveCommand.self), CommandEntry(DropCommand.self), CommandEntry(RenameCommand.self), CommandEntry(UndoCommand.self),
        CommandEntry(PipelineCommand.self), CommandEntry(FitCommand.self), CommandEntry(ReportCommand.self),
        CommandEntry(EvaluateCommand.self), CommandEntry(PredictCommand.self), CommandEntry(CVCommand.self),
        CommandEntry(SearchCommand.self), CommandEntry(ImportanceCommand.self), CommandEntry(CurvesCommand.self), CommandEntry(ThresholdCommand.self),
        CommandEntry(LeaderboardCommand.self), CommandEntry(AutoMLCommand.self),
        CommandEntry(DemoCommand.self), CommandEntry(FlagsCommand.self),
        // Experiment tracking and the model registry.
        CommandEntry(ExperimentCommand.self), CommandEntry(SetCommand.self), CommandEntry(RunsCommand.self), CommandEntry(RunCommand.self), CommandEntry(CompareCommand.self),
        CommandEntry(TagCommand.self), CommandEntry(NoteCommand.self), CommandEntry(DeleteCommand.self), CommandEntry(RestoreCommand.self),
        CommandEntry(ReplayCommand.self), CommandEntry(RegisterCommand.self), CommandEntry(AliasCommand.self), CommandEntry(ModelsCommand.self),
        CommandEntry(ExportCommand.self), CommandEntry(DriftCommand.self),
        CommandEntry(ServeCommand.self),
        // The feature store (issue 20).
        CommandEntry(FeaturesCommand.self), CommandEntry(ExpectCommand.self), CommandEntry(FeatureViewCommand.self), CommandEntry(TrainingDataCommand.self),
        CommandEntry(PromoteCommand.self), CommandEntry(JobCommand.self), CommandEntry(JobsCommand.self), CommandEntry(MonitorCommand.self),
        CommandEntry(HelpCommand.self),
    ]

    /// The command for a verb or alias.
    public static func find(_ verb: String) -> CommandEntry? {
        all.first { $0.name == verb || $0.aliases.contains(verb) }
    }

    /// Every verb and alias, for completion.
    public static var verbs: [String] { all.flatMap { [$0.name] + $0.aliases }.sorted() }

    /// "did you mean …?" for a mistyped verb.
    public static func suggestion(for verb: String) -> String {
        let best = verbs.map { ($0, Levenshtein.distance($0, verb)) }.min { $0.1 < $1.1 }
        if let best, best.1 <= 2 { return "did you mean \(best.0)? (help lists every command)" }
        return "help lists every command"
    }
}
