import PetalData
import PetalML

/// The steps `fit`, `evaluate`, `cv` and `predict` share: choosing the task, building features and targets,
/// and scoring predictions.
enum Training {
    /// The task for a pipeline on a target column: the estimator's only task, or (for kNN) what the column suggests.
    static func task(for pipeline: Pipeline, target: Column) -> LearningTask {
        let tasks = pipeline.estimator.tasks
        if tasks.count == 1, let only = tasks.first { return only }
        return FeatureSchema.suggestedTask(for: target)
    }

    /// Scores a fitted model on rows of `x` with the matching targets; `train` targets give the baseline.
    static func evaluate(_ model: FittedPipeline, x: Matrix, target: Target, trainTarget: Target) -> Evaluation {
        score(model, x: x, target: target, trainTarget: trainTarget).evaluation
    }

    /// `evaluate`, also giving each row's predicted class code (empty unless classifying), which a fit keeps for
    /// the report's confusion-matrix drill-down so that nothing is predicted again.
    /// `transformed`, when given, is `model.transformed(x)` already made (by `checkedInput`): it is not made again.
    static func score(_ model: FittedPipeline, x: Matrix, transformed: Matrix? = nil, target: Target,
                      trainTarget: Target) -> (evaluation: Evaluation, codes: [Int]) {
        switch (target, trainTarget) {
        case (.classes(let truth), .classes(let train)):
            let classes = model.schema.classes
            // One pass gives both.
            let (predicted, probabilities) = transformed.flatMap { model.classify(transformed: $0) } ?? model.classify(x)
            let metrics = ClassificationMetrics(truth: truth, predicted: predicted, classes: classes)
            var counts = [Int](repeating: 0, count: classes.count)
            for l in train { counts[l] += 1 }
            let majority = counts.argmax()
            let baseline = Double(truth.filter { $0 == majority }.count) / Double(max(1, truth.count))
            return (.classification(metrics, baselineAccuracy: baseline, baselineClass: classes[safe: majority] ?? "",
                                    probabilities: ProbabilityMetrics(truth: truth, probabilities: probabilities)), predicted)
        case (.values(let truth), .values(let train)):
            let predicted = (transformed.flatMap { model.predictValues(transformed: $0) } ?? model.predictValues(x)) ?? []
            let mean = train.reduce(0, +) / Double(max(1, train.count))
            return (.regression(RegressionMetrics(truth: truth, predicted: predicted),
                                baseline: RegressionMetrics(truth: truth, predicted: truth.map { _ in mean }), baselineMean: mean), [])
        case (.none, _):
            let features = transformed ?? model.transformed(x)
            let assigned = model.clusters(transformed: features) ?? (labels: [], distances: [])
            // Cluster ids from 0; -1 is noise (dbscan), counted apart.
            var sizes = [Int](repeating: 0, count: (assigned.labels.max() ?? -1) + 1)
            for l in assigned.labels where l >= 0 { sizes[l] += 1 }
            let noise = assigned.labels.filter { $0 < 0 }.count
            // The silhouette is O(n²): score an evenly spaced sample of at most 2,000 rows.
            let step = max(1, x.rows / 2000)
            let sample = Array(stride(from: 0, to: x.rows, by: step))
            let silhouette = Silhouette.score(features.rows(sample), labels: sample.map { assigned.labels[$0] })
            return (.clustering(inertia: assigned.distances.reduce(0, +), silhouette: silhouette, sizes: sizes, noise: noise), [])
        default:
            return (.classification(ClassificationMetrics(truth: [], predicted: [], classes: []), baselineAccuracy: 0, baselineClass: "",
                                    probabilities: nil), [])
        }
    }

    /// Schema, features and targets of a data set for a pipeline and target column.
    /// Text categories come from `trainRows` (every row when nil), so nothing is learned from test rows.
    static func prepare(_ pipeline: Pipeline, dataset: Dataset, target: String?, trainRows: [Int]? = nil,
                        autoEncode: Bool = true) throws -> (FeatureSchema, Matrix, Target) {
        let (schema, y) = try schemaAndTarget(pipeline, dataset: dataset, target: target, trainRows: trainRows, autoEncode: autoEncode)
        return (schema, try schema.matrix(dataset.frame, dataset: dataset.name), y)
    }

    /// The feature schema and the targets, without building the feature matrix (for choosing a split first).
    static func schemaAndTarget(_ pipeline: Pipeline, dataset: Dataset, target: String?, trainRows: [Int]? = nil,
                                autoEncode: Bool = true) throws -> (FeatureSchema, Target) {
        let text = dataset.frame.columns.filter { $0.type == .text && $0.name != target }.map(\.name)
        let directives = try pipeline.directives(textColumns: text, autoEncode: autoEncode)
        if pipeline.estimator.tasks == [.clustering] {
            // Clustering: every column but the (optional) target is a feature; there is nothing to predict.
            let frame = try target.map { try dataset.frame.dropping([$0]) } ?? dataset.frame
            let schema = try FeatureSchema.infer(frame: frame, target: nil, dataset: dataset.name, task: .clustering, trainRows: trainRows,
                                                 directives: directives)
            return (schema, .none(rows: frame.rowCount))
        }
        guard let target else {
            throw PetalError("\(pipeline.estimator.name) needs target=COLUMN, the column to predict",
                            hint: "columns of \(dataset.name): " + dataset.frame.columnNames.joined(separator: ", "))
        }
        let column = try dataset.frame.requireColumn(target, dataset: dataset.name)
        let task = task(for: pipeline, target: column)
        let schema = try FeatureSchema.infer(frame: dataset.frame, target: target, dataset: dataset.name, task: task, trainRows: trainRows,
                                             directives: directives)
        let y: Target = task == .classification
            ? .classes(try schema.labels(dataset.frame, dataset: dataset.name))
            : .values(try schema.values(dataset.frame, dataset: dataset.name))
        return (schema, y)
    }
}

extension Training {
    /// Features and targets of a data set for comparing many pipelines (`leaderboard`, `automl`): the task from
    /// the target column (classes for text, bool and ints with few values), text columns one-hot encoded over the
    /// categories of `trainRows` (every row when nil). `buildMatrix: false` skips the features (an empty matrix).
    static func comparisonData(dataset: Dataset, target: String, trainRows: [Int]? = nil,
                               buildMatrix: Bool = true) throws -> (FeatureSchema, (x: Matrix, y: Target)) {
        let column = try dataset.frame.requireColumn(target, dataset: dataset.name)
        let task = FeatureSchema.suggestedTask(for: column)
        let schema = try FeatureSchema.infer(frame: dataset.frame, target: target, dataset: dataset.name, task: task, trainRows: trainRows,
                                             directives: EncodingDirectives())
        let y: Target = task == .classification
            ? .classes(try schema.labels(dataset.frame, dataset: dataset.name))
            : .values(try schema.values(dataset.frame, dataset: dataset.name))
        let x = buildMatrix ? try schema.matrix(dataset.frame, dataset: dataset.name) : Matrix(rows: 0, columns: 0)
        return (schema, (x, y))
    }
}

extension Training {
    /// A notice when text columns are one-hot encoded without a `one_hot` step saying so.
    static func encodingWarnings(_ schema: FeatureSchema, pipeline: Pipeline) -> [DataWarning] {
        var warnings: [DataWarning] = []
        if !schema.skipped.isEmpty {
            warnings.append(DataWarning("left the date column\(schema.skipped.count == 1 ? "" : "s") \(schema.skipped.joined(separator: ", ")) out of the features (dates are not model inputs yet; order_by= can use one to split)"))
        }
        let encoded = schema.encodedColumns
        guard !encoded.isEmpty, !pipeline.steps.contains(where: { $0.name == OneHotEncoder.name }) else { return warnings }
        // (ordinal columns and crosses were asked for explicitly, so only one-hot encoding gets a notice)
        return warnings + [DataWarning("one-hot encoded the text column\(encoded.count == 1 ? "" : "s") \(encoded.joined(separator: ", ")) "
                            + "(\(schema.features.count) features in all); start the pipeline with one_hot to say so, or drop them with select")]
    }
}
