import Dispatch
import Foundation
import PetalData

/// One data set cut into cross-validation folds once, so every candidate a comparison scores (`leaderboard`,
/// `automl`) sees the same rows: stratified folds for classes, as `cv`, plain ones for numbers.
public struct FoldPlan: Sendable {
    public let x: Matrix
    public let target: Target
    public let schema: FeatureSchema
    public let folds: [Split]

    /// - Throws: when the folds are impossible (more folds than rows, or than the largest class's rows).
    public init(x: Matrix, target: Target, schema: FeatureSchema, folds k: Int) throws {
        self.x = x; self.target = target; self.schema = schema
        switch target {
        case .classes(let labels): folds = try KFold.stratified(labels: labels, folds: k)
        case .values: folds = try KFold.plain(rows: x.rows, folds: k)
        case .none: throw PetalError("comparing models needs target=COLUMN: clustering has nothing to score")
        }
    }

    /// The same data with other folds (automl's cheap early rungs use fewer).
    public init(_ plan: FoldPlan, folds: [Split]) {
        x = plan.x; target = plan.target; schema = plan.schema; self.folds = folds
    }

    public var task: LearningTask { target.task }

    /// `n_test / n_train`, averaged over folds: the correction of the resampled t-test.
    public var testFraction: Double {
        let f = folds.map { Double($0.test.count) / Double(max(1, $0.train.count)) }
        return f.reduce(0, +) / Double(max(1, f.count))
    }

    /// Fits `pipeline` on every fold's training rows and scores its test rows, folds in parallel (both cores).
    /// - Parameters:
    ///   - control: the user's cancel (Ctrl-C); stops the folds that have not finished.
    ///   - seconds: the time cap for this pipeline; past it, unfinished folds stop and the result says so.
    /// - Returns: the scores, or a result whose `problem` says why there are none.
    public func score(_ pipeline: Pipeline, control: LoadControl? = nil, seconds cap: Double? = nil) -> FoldScores {
        let inner = LoadControl()
        let started = DispatchTime.now().uptimeNanoseconds
        let overTime = { () -> Bool in cap.map { Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 > $0 } ?? false }
        // A watcher turns the user's cancel or the time cap into a cancel of this pipeline's fits.
        let watcher = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        watcher.schedule(deadline: .now() + .milliseconds(20), repeating: .milliseconds(20))
        watcher.setEventHandler { if control?.isCancelled == true || overTime() { inner.cancel() } }
        watcher.resume()
        defer { watcher.cancel() }
        let slots = ConcurrentSlots<FoldResult>(folds.count)
        DispatchQueue.concurrentPerform(iterations: folds.count) { f in
            guard !inner.isCancelled else { return }
            slots.set(f, scoreFold(pipeline, fold: f, control: inner))
        }
        let results = slots.slots
        var out = FoldScores()
        let unfinished = results.contains { $0 == nil || $0?.error != nil }
        if control?.isCancelled == true && unfinished { out.problem = .cancelled; return out }
        // Folds that finished late (a family that does not check for a cancel) still count: the time is spent.
        if unfinished && overTime() { out.problem = .timedOut(cap ?? 0); return out }
        if let error = results.lazy.compactMap({ $0?.error }).first { out.problem = .failed(error); return out }
        if unfinished { out.problem = .failed("a fold did not finish"); return out }
        let done = results.compactMap { $0 }
        for metric in ScoreMetric.main(for: task) { out.metrics[metric] = done.map { $0.scores[metric] ?? .nan } }
        out.fitSeconds = done.map(\.fitSeconds)
        let predicted = done.reduce(0) { $0 + $1.testRows }
        out.predictSecondsPerRow = done.reduce(0) { $0 + $1.predictSeconds } / Double(max(1, predicted))
        out.modelBytes = done.first?.modelBytes
        return out
    }

    /// The majority class (classes) or the training mean (numbers) of each fold's training rows, scored on its
    /// test rows: the row every model must beat. Probabilities are the training shares.
    public func baseline() -> FoldScores {
        var out = FoldScores()
        var perFold: [[ScoreMetric: Double]] = []
        for fold in folds {
            switch target {
            case .classes(let labels):
                let k = schema.classes.count
                var counts = [Int](repeating: 0, count: k)
                for r in fold.train where labels[r] < k { counts[labels[r]] += 1 }
                let majority = counts.argmax()
                var shares = Matrix(rows: fold.test.count, columns: k)
                for r in 0..<fold.test.count { for c in 0..<k { shares[r, c] = Double(counts[c]) / Double(max(1, fold.train.count)) } }
                perFold.append(ScoreMetric.scores(truth: target.rows(fold.test), predicted: .classes(fold.test.map { _ in majority }),
                                                  probabilities: shares, classes: schema.classes))
            case .values(let values):
                let mean = fold.train.reduce(0) { $0 + values[$1] } / Double(max(1, fold.train.count))
                perFold.append(ScoreMetric.scores(truth: target.rows(fold.test), predicted: .values(fold.test.map { _ in mean }),
                                                  probabilities: nil, classes: []))
            case .none: break
            }
        }
        for metric in ScoreMetric.main(for: task) { out.metrics[metric] = perFold.map { $0[metric] ?? .nan } }
        out.fitSeconds = folds.map { _ in 0 }
        return out
    }

    private struct FoldResult: Sendable {
        var scores: [ScoreMetric: Double] = [:]
        var fitSeconds = 0.0
        var predictSeconds = 0.0
        var testRows = 0
        var modelBytes: Int?
        var error: String?
    }

    private func scoreFold(_ pipeline: Pipeline, fold index: Int, control: LoadControl) -> FoldResult {
        let fold = folds[index]
        var result = FoldResult()
        do {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let model = try pipeline.fit(x.rows(fold.train), target: target.rows(fold.train), schema: schema, control: control)
            let t1 = DispatchTime.now().uptimeNanoseconds
            let testX = x.rows(fold.test)
            try model.checkInput(testX)
            let predicted: Target
            var probabilities: Matrix?
            if task == .classification {
                let c = model.classify(testX)
                predicted = .classes(c.codes)
                probabilities = c.probabilities
            } else {
                predicted = .values(model.predictValues(testX) ?? [])
            }
            let t2 = DispatchTime.now().uptimeNanoseconds
            result.scores = ScoreMetric.scores(truth: target.rows(fold.test), predicted: predicted, probabilities: probabilities,
                                               classes: schema.classes)
            result.fitSeconds = Double(t1 - t0) / 1e9
            result.predictSeconds = Double(t2 - t1) / 1e9
            result.testRows = fold.test.count
            if index == 0 { result.modelBytes = (try? ModelFormat.encode(model))?.count }
        } catch {
            result.error = (error as? PetalError)?.message ?? "\(error)"
        }
        return result
    }
}

/// What scoring one pipeline over a `FoldPlan` gave: each metric per fold, timings and the model's size.
public struct FoldScores: Sendable {
    /// Why there are no scores.
    public enum Problem: Sendable, Equatable {
        /// A fold's fit or prediction failed (the message says why).
        case failed(String)
        /// The pipeline did not finish within its time cap (seconds).
        case timedOut(Double)
        /// The user stopped it (Ctrl-C).
        case cancelled
    }

    /// Each metric of the task, one value per fold.
    public var metrics: [ScoreMetric: [Double]] = [:]
    /// Seconds each fold's fit took.
    public var fitSeconds: [Double] = []
    public var predictSecondsPerRow = 0.0
    /// Bytes of the first fold's fitted pipeline in Petal's model format.
    public var modelBytes: Int?
    public var problem: Problem?

    public init() {}

    public var ok: Bool { problem == nil }

    /// The mean of `metric` over folds (NaN when missing).
    public func mean(_ metric: ScoreMetric) -> Double {
        guard let v = metrics[metric], !v.isEmpty else { return .nan }
        return v.reduce(0, +) / Double(v.count)
    }

    /// The population standard deviation of `metric` over folds (numpy's default, as `cv` prints).
    public func std(_ metric: ScoreMetric) -> Double {
        guard let v = metrics[metric], !v.isEmpty else { return .nan }
        let m = mean(metric)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count)).squareRoot()
    }

    public var meanFitSeconds: Double { fitSeconds.isEmpty ? 0 : fitSeconds.reduce(0, +) / Double(fitSeconds.count) }
}
