/// What a pipeline learns to predict: the one task type of the whole program (estimators' `tasks`, a fitted
/// model's `task`, a bundle's manifest, a served model's description, `petal.json`'s and `--json`'s `"task"`).
///
/// Named `LearningTask`, not `Task`, so that it does not shadow Swift concurrency's `Task` in any file that
/// imports PetalML. Its raw values are what files and JSON say (`classification`, `regression`, `clustering`).
public enum LearningTask: String, Sendable, Codable, Hashable { case classification, regression, clustering }
