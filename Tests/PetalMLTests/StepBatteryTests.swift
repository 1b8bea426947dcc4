import Foundation
import Testing
import PetalTestSupport
import PetalData
@testable import PetalML

/// The battery every registered step must pass (scikit-learn's `check_estimator`, parameterised over the
/// registry so a new family is tested the moment its line is added to `Steps.all`).
@Suite struct StepBatteryTests {
    /// Every (step, task) an estimator can do, and every transform or encoding step (ending in kNN).
    static let cases: [String] = Steps.all.flatMap { entry -> [String] in
        switch entry.role {
        case .estimator(let tasks):
            let projects = (try? Step(name: entry.name, parameters: []))?.recipe is any SupervisedTransformRecipe
            return [LearningTask.classification, .regression, .clustering].filter(tasks.contains).map { "\(entry.name):\($0.rawValue)" }
                + (projects ? ["\(entry.name):transform"] : [])
        case .transform, .encoding: return ["\(entry.name):transform"]
        }
    }

    /// The scaler before an estimator: the one its declared `featureScaling` calls for, else standard.
    static func scaler(for name: String) -> String { Steps.entry(named: name)?.featureScaling.scalers.first ?? "standard_scaler" }

    /// Iris features (4 numbers, three well separated classes) with a target for the task.
    struct Problem {
        var x: Matrix
        var target: Target
        var schema: FeatureSchema
    }

    static func problem(_ task: LearningTask) throws -> Problem {
        let frame = try PipelineParityTests.iris()
        let classification = try FeatureSchema.infer(frame: frame, target: "variety", dataset: "iris")
        let x = try classification.matrix(frame, dataset: "iris")
        switch task {
        case .classification:
            return Problem(x: x, target: .classes(try classification.labels(frame, dataset: "iris")), schema: classification)
        case .regression:
            // A smooth function of the features: every regressor should follow it.
            let y = (0..<x.rows).map { x[$0, 2] * 2 + x[$0, 3] - 0.5 * x[$0, 0] }
            return Problem(x: x, target: .values(y), schema: FeatureSchema(inputs: classification.inputs, target: "y", classes: []))
        case .clustering:
            return Problem(x: x, target: .none(rows: x.rows), schema: FeatureSchema(inputs: classification.inputs, target: "", classes: []))
        }
    }

    /// The pipeline for a case: the estimator after a scaler, or the transform before kNN (k-means for clustering).
    static func pipeline(_ name: String, _ kind: String) throws -> (Pipeline, LearningTask) {
        // Ensembles: few trees, to keep the battery quick.
        let small: [(String, String)] = Steps.entry(named: name)?.parameter("n_estimators") != nil ? [("n_estimators", "10")] : []
        if let task = LearningTask(rawValue: kind) {
            // Three clusters where the step takes a count (k: n_clusters, n_components); dbscan finds its own.
            let k: [(String, String)] = task == .clustering && Steps.entry(named: name)?.parameter("k") != nil ? [("k", "3")] : []
            let steps = [try Step(name: scaler(for: name), parameters: []), try Step(name: name, parameters: small + k)]
            return (try Pipeline(steps: steps), task)
        }
        return (try Pipeline(steps: [try Step(name: name, parameters: []), try Step(name: "knn", parameters: [("k", "3")])]), .classification)
    }

    static func split(_ c: String) -> (String, String) {
        let parts = c.split(separator: ":").map(String.init)
        return (parts[0], parts[1])
    }

    @Test(arguments: cases) func fitIsRepeatableAndLeavesTheRecipe(_ c: String) throws {
        try KernelVersionLock.shared {
            let (name, kind) = Self.split(c)
            let (recipe, task) = try Self.pipeline(name, kind)
            let p = try Self.problem(task)
            let before = try ModelFormat.encoder().encode(recipe)
            let first = try recipe.fit(p.x, target: p.target, schema: p.schema)
            #expect(try ModelFormat.encoder().encode(recipe) == before, "\(c): fit leaves the recipe as it was")
            let second = try recipe.fit(p.x, target: p.target, schema: p.schema)
            #expect(first == second, "\(c): the same data and seed give the same model")
            #expect(first.predictProba(p.x) == second.predictProba(p.x) || task != .classification)
            #expect(first.task == task)
        }
    }

    @Test(arguments: cases) func predictionsFollowTheData(_ c: String) throws {
        let (name, kind) = Self.split(c)
        let (recipe, task) = try Self.pipeline(name, kind)
        let p = try Self.problem(task)
        let model = try recipe.fit(p.x, target: p.target, schema: p.schema)
        switch p.target {
        case .classes(let truth):
            let predicted = model.predict(p.x)
            let accuracy = Double(zip(predicted, truth).filter { $0 == $1 }.count) / Double(truth.count)
            #expect(Set(predicted).count == 3, "\(c): predicts every class of well-separated data, not one")
            // Well above the majority baseline (1/3): every family follows iris, even the ones meant for other data (NB variants).
            #expect(accuracy > 0.7, "\(c): training accuracy \(accuracy) on iris")
            let proba = model.predictProba(p.x)
            #expect(proba.values.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 1 }, "\(c): probabilities are in 0…1")
            for r in 0..<proba.rows { #expect(abs(proba.row(r).reduce(0, +) - 1) < 1e-9, "\(c): row \(r) sums to 1") }
        case .values(let truth):
            let predicted = try #require(model.predictValues(p.x), "\(c): a regressor predicts numbers")
            #expect(Set(predicted).count > 3, "\(c): predictions are not constant")
            let r2 = RegressionMetrics(truth: truth, predicted: predicted).r2
            #expect(r2 > 0.5, "\(c): training R² \(r2)")
            #expect(model.predictProbaIfClassifier(p.x) == nil)
        case .none:
            let clusters = try #require(model.clusters(p.x), "\(c): a clusterer assigns clusters")
            #expect(Set(clusters.labels).count == 3, "\(c): finds the three groups")
        }
    }

    @Test(arguments: cases) func encodeDecodeGivesTheSamePredictions(_ c: String) throws {
        let (name, kind) = Self.split(c)
        let (recipe, task) = try Self.pipeline(name, kind)
        let p = try Self.problem(task)
        let model = try recipe.fit(p.x, target: p.target, schema: p.schema)
        let data = try ModelFormat.encode(model)
        let decoded = try ModelFormat.decode(data)
        #expect(decoded == model, "\(c): decoding gives the same model")
        #expect(decoded.predictProba(p.x).values.elementsEqual(model.predictProba(p.x).values) { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(decoded.predictValues(p.x) == model.predictValues(p.x))
        #expect(decoded.clusters(p.x)?.labels == model.clusters(p.x)?.labels)
        #expect(try ModelFormat.encode(decoded) == data, "\(c): encoding is stable")
    }

    @Test(arguments: cases) func badInputIsAClearError(_ c: String) throws {
        let (name, kind) = Self.split(c)
        let (recipe, task) = try Self.pipeline(name, kind)
        let p = try Self.problem(task)
        // No rows.
        let empty = Matrix(rows: 0, columns: p.x.columns)
        let emptyTarget: Target
        switch p.target { case .classes: emptyTarget = .classes([]); case .values: emptyTarget = .values([]); case .none: emptyTarget = .none(rows: 0) }
        #expect(throws: PetalError.self, "\(c): empty data") { try recipe.fit(empty, target: emptyTarget, schema: p.schema) }
        // One class.
        if case .classes(let labels) = p.target {
            #expect(throws: PetalError.self, "\(c): one class") { try recipe.fit(p.x, target: .classes(labels.map { _ in 0 }), schema: p.schema) }
        }
        // NaN with nothing that fills it.
        if !recipe.handlesMissing {
            var holes = p.x
            holes[3, 1] = .nan
            #expect(throws: PetalError.self, "\(c): NaN without an imputer") { try recipe.fit(holes, target: p.target, schema: p.schema) }
        }
        // A wrong width at prediction time: an error from checkInput, and no trap from predicting.
        let model = try recipe.fit(p.x, target: p.target, schema: p.schema)
        let narrow = p.x.columns([0, 1])
        #expect(throws: PetalError.self, "\(c): a wrong width") { try model.checkInput(narrow) }
        _ = model.predictProba(narrow); _ = model.predictValues(narrow); _ = model.clusters(narrow)
    }

    @Test(arguments: cases) func damagedModelFilesAreRefused(_ c: String) throws {
        let (name, kind) = Self.split(c)
        let (recipe, task) = try Self.pipeline(name, kind)
        let p = try Self.problem(task)
        let model = try recipe.fit(p.x, target: p.target, schema: p.schema)
        let json = try #require(try JSONSerialization.jsonObject(with: try ModelFormat.encode(model)) as? [String: Any])
        // Every array inside each fitted step, cut by one element or emptied: the file is refused, or (when the
        // array's length is free, e.g. one tree fewer in a forest) the model still predicts without trapping.
        let steps = try #require(json["steps"] as? [[String: Any]])
        var damaged = 0
        for index in steps.indices {
            for path in Self.arrayPaths(steps[index]) {
                for cut in [1, Int.max] {
                    var copy = json
                    var list = steps
                    list[index] = Self.cutting(list[index], path: path, by: cut) as? [String: Any] ?? list[index]
                    copy["steps"] = list
                    let data = try JSONSerialization.data(withJSONObject: copy)
                    damaged += 1
                    if let decoded = try? ModelFormat.decode(data) {
                        _ = decoded.predictProba(p.x); _ = decoded.predictValues(p.x); _ = decoded.clusters(p.x)
                    }
                }
            }
        }
        #expect(damaged > 0 || steps.allSatisfy { Self.arrayPaths($0).isEmpty })
        // A kind nobody registered.
        var copy = json
        var list = steps
        list[list.count - 1]["kind"] = "python_pickle"
        copy["steps"] = list
        #expect(throws: (any Error).self) { try ModelFormat.decode(try JSONSerialization.data(withJSONObject: copy)) }
    }

    /// Paths (keys and indexes) to every array inside `object`.
    static func arrayPaths(_ object: Any, prefix: [AnyHashable] = []) -> [[AnyHashable]] {
        var out: [[AnyHashable]] = []
        if let dict = object as? [String: Any] {
            for (k, v) in dict { out += arrayPaths(v, prefix: prefix + [k]) }
        } else if let array = object as? [Any] {
            if !array.isEmpty { out.append(prefix) }
            if let first = array.first { out += arrayPaths(first, prefix: prefix + [0]) }
        }
        return out
    }

    /// `object` with the array at `path` shortened by `by` elements (all of them for Int.max).
    static func cutting(_ object: Any, path: [AnyHashable], by: Int) -> Any {
        guard let head = path.first else {
            guard let array = object as? [Any] else { return object }
            return Array(array.dropLast(min(by, array.count)))
        }
        let rest = Array(path.dropFirst())
        if var dict = object as? [String: Any], let key = head as? String, let inner = dict[key] {
            dict[key] = cutting(inner, path: rest, by: by)
            return dict
        }
        if var array = object as? [Any], let i = head as? Int, array.indices.contains(i) {
            array[i] = cutting(array[i], path: rest, by: by)
            return array
        }
        return object
    }
}

/// The registry itself: names, kinds and parameter declarations.
@Suite struct StepRegistryTests {
    @Test func namesAndKindsAreUnique() {
        let names = Steps.all.map(\.name)
        #expect(Set(names).count == names.count)
        // A kind string belongs to one fitted type (two steps may share a type, e.g. the scalers' `affine`).
        var types: [String: Set<String>] = [:]
        for kind in Steps.coreKinds + Steps.all.flatMap(\.fittedKinds) { types[kind.kind, default: []].insert(kind.typeName) }
        for (kind, names) in types { #expect(names.count == 1, "fitted kind \(kind) is written by \(names.sorted())") }
        // Older kinds are only read through their step, never claimed as current kinds.
        for entry in Steps.all { for legacy in entry.legacyFittedKinds { #expect(Steps.fittedKinds[legacy.kind] == nil) } }
        #expect(Steps.fittedKinds["subset"] != nil)
    }

    @Test(arguments: Steps.all.map(\.name)) func parametersAreDeclaredSoundly(_ name: String) throws {
        let entry = try #require(Steps.entry(named: name))
        var seen = Set<String>()
        for d in entry.parameters {
            #expect(d.canonical(d.defaultValue) != nil, "\(name).\(d.name): its default \(d.defaultValue) is \(d.typeText)")
            for key in [d.name] + d.aliases {
                #expect(!seen.contains(key), "\(name): \(key) is declared twice")
                seen.insert(key)
            }
            #expect(!d.help.isEmpty)
        }
        // Every parameter can be given by name and by alias, and comes back under scikit-learn's name.
        for d in entry.parameters {
            for key in [d.name] + d.aliases {
                let step = try Step(name: name, parameters: [(key, d.defaultValue)])
                #expect(step.parameterList.contains { $0.name == d.name && $0.value == d.canonical(d.defaultValue) })
            }
        }
        #expect(throws: PetalError.self) { try Step(name: name, parameters: [("no_such_parameter", "1")]) }
    }

    @Test(arguments: Steps.all.map(\.name)) func roleMatchesTheType(_ name: String) throws {
        let step = try Step(name: name, parameters: [])
        switch step.role {
        case .estimator(let tasks):
            #expect(step.recipe is any EstimatorRecipe && !tasks.isEmpty)
            for kind in try #require(Steps.entry(named: name)).fittedKinds { #expect(Steps.fittedKinds[kind.kind] != nil) }
        case .transform: #expect(step.recipe is any TransformRecipe)
        case .encoding: #expect(step.recipe is any EncodingRecipe)
        }
    }

    /// Each recipe's and each fitted model's `as…` answers (through the witness table, no dynamic cast) are what a
    /// cast would answer: a conformance the protocol extensions do not see (one declared in an extension another
    /// module adds) would make a step silently lose a role, a summary or its staged scores.
    @Test(arguments: Steps.all.map(\.name)) func recipeRolesAnswerAsACastWould(_ name: String) throws {
        let recipe = try Step(name: name, parameters: []).recipe
        #expect((recipe.asTransformRecipe != nil) == (recipe is any TransformRecipe), "\(name)")
        #expect((recipe.asEncodingRecipe != nil) == (recipe is any EncodingRecipe), "\(name)")
        #expect((recipe.asEstimatorRecipe != nil) == (recipe is any EstimatorRecipe), "\(name)")
        #expect((recipe.asSupervisedTransformRecipe != nil) == (recipe is any SupervisedTransformRecipe), "\(name)")
    }

    @Test(arguments: StepBatteryTests.cases) func fittedCapabilitiesAnswerAsACastWould(_ c: String) throws {
        try KernelVersionLock.shared {
            let (name, kind) = StepBatteryTests.split(c)
            let (recipe, task) = try StepBatteryTests.pipeline(name, kind)
            let p = try StepBatteryTests.problem(task)
            let fitted = try recipe.fit(p.x, target: p.target, schema: p.schema)
            for step in fitted.steps {
                let m = step.model
                #expect((m.asTransform != nil) == (m is any FittedTransform), "\(c): \(step.kind)")
                #expect((m.asEstimator != nil) == (m is any FittedEstimator), "\(c): \(step.kind)")
                #expect((m.asLearnedSummary != nil) == (m is any LearnedSummary), "\(c): \(step.kind)")
                #expect((m.asImpurityImportances != nil) == (m is any ImpurityImportances), "\(c): \(step.kind)")
                guard let e = m.asEstimator else { continue }
                #expect((e.asClassifier != nil) == (e is any FittedClassifier), "\(c): \(step.kind)")
                #expect((e.asRegressor != nil) == (e is any FittedRegressor), "\(c): \(step.kind)")
                #expect((e.asClusterer != nil) == (e is any FittedClusterer), "\(c): \(step.kind)")
                #expect((e.asStaged != nil) == (e is any StagedEstimator), "\(c): \(step.kind)")
                #expect((e.asClassifier?.asLabeller != nil) == (e is any FittedLabeller), "\(c): \(step.kind)")
            }
        }
    }

    @Test func parameterNamesAreCaseSensitive() throws {
        #expect(try Step(name: "logistic_regression", parameters: [("C", "0.5")]).parameterList.first { $0.name == "C" }?.value == "0.5")
        #expect(throws: PetalError.self) { try Step(name: "logistic_regression", parameters: [("c", "0.5")]) }
    }

    @Test func unknownAndPlannedStepsSaySo() {
        #expect(throws: PetalError.self) { try Step(name: "knnn", parameters: []) }
        for name in Steps.planned {
            do { _ = try Step(name: name, parameters: []); Issue.record("\(name) is planned but made a step") } catch let e as PetalError {
                #expect(e.message.contains("not built yet"))
            } catch { Issue.record("\(error)") }
        }
    }
}
