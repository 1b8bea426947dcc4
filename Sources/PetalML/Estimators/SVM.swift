import Foundation
import PetalData

/// Support vector machines (scikit-learn's `SVC` and `SVR`, which wrap libsvm): C-support vector
/// classification, one-vs-one for more than two classes, and ε-support vector regression, solved by a port of
/// libsvm's SMO (see `SVMSolver`) so that labels and decision values agree with scikit-learn's.
/// Fitted values: the support vectors, their dual coefficients and the offsets ρ, as libsvm keeps them; for
/// classes, Platt's sigmoid (A, B) per pair of classes.
public struct SVM: EstimatorRecipe, Hashable {
    public static let name = "svm"
    public static let summary = "support vector machine (SVC/SVR, libsvm's SMO): a maximum-margin boundary in a kernel's feature space"
    public static let kernelParam = Param<String>("kernel", choices: SVMKernel.kinds, default: "rbf",
                                                  help: "rbf: exp(-gamma·|x-y|²); linear: x·y; poly: (gamma·x·y + coef0)^degree; sigmoid: tanh(gamma·x·y + coef0)")
    public static let cParam = Param<Double>("C", 1e-12...1e12, default: 1.0, help: "penalty on margin violations: smaller C, smoother boundary", search: .double(0.01...1000, log: true))
    public static let gammaParam = Param<NumberOrWord>("gamma", 0...1e12, words: ["scale", "auto"], default: "scale",
                                                       help: "kernel width: scale = 1/(n_features·X.var()), auto = 1/n_features, or a number", search: .values(["scale", "0.001", "0.01", "0.1", "1"]))
    public static let degreeParam = Param<Int>("degree", 0...100, default: 3, help: "the poly kernel's degree")
    public static let coef0Param = Param<Double>("coef0", -1e12...1e12, default: 0, help: "the constant in the poly and sigmoid kernels")
    /// Shared with every family that takes class weights; for an SVM the weight scales each class's C.
    public static let classWeightParam = ClassWeight.param
    public static let tolParam = Param<Double>("tol", 1e-15...1, default: 1e-3, help: "stop when the largest KKT violation is below this")
    public static let maxIterParam = Param<Int?>("max_iter", 1...Int.max, help: "SMO steps at most (none: until tol is met)")
    public static let epsilonParam = Param<Double>("epsilon", 0...1e12, default: 0.1, help: "regression: errors smaller than this cost nothing")
    public static let shrinkingParam = Param<Bool>("shrinking", default: true, help: "set aside bounded variables while solving (faster; same answer)")
    public static let probabilityParam = Param<Bool>("probability", default: false, help:
        "how class probabilities are calibrated (labels always come from the one-vs-one votes): false, Platt's sigmoid on the "
        + "training decision values; true, on 5-fold cross-validated ones (5 more fits per pair of classes), as scikit-learn's "
        + "probability=True, whose internal CV folds are drawn by libsvm's own random numbers, so probabilities can differ "
        + "slightly from scikit-learn's while the labels match")
    public static let randomStateParam = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0,
                                                    help: "shuffles the folds of probability=true")
    public static let parameters: [ParameterDescriptor] = [
        kernelParam.descriptor, cParam.descriptor, gammaParam.descriptor, degreeParam.descriptor, coef0Param.descriptor,
        classWeightParam.descriptor, tolParam.descriptor, maxIterParam.descriptor, epsilonParam.descriptor,
        shrinkingParam.descriptor, probabilityParam.descriptor, randomStateParam.descriptor,
    ]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    /// Kernels and the margin compare features in their units.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Classifier.self), FittedKind(Regressor.self)]

    /// libsvm's default kernel cache, as scikit-learn's `cache_size=200` (MB).
    static let cacheBytes = 200 << 20

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        guard x.rows >= 2 else { throw PetalError("svm needs at least 2 training rows, not \(x.rows)") }
        switch target {
        case .classes(let labels): return try fitClassifier(x, labels: labels, classCount: context.classCount, control: context.control)
        case .values(let y): return try fitRegressor(x, y: y, control: context.control)
        case .none: throw PetalError("svm needs target=COLUMN: the class or number to predict")
        }
    }

    /// The kernel with γ resolved on the training matrix (scale: 1/(n_features · variance of every entry)).
    func kernel(for x: Matrix) -> SVMKernel {
        let n = Double(max(1, x.columns))
        let gamma: Double
        switch self[Self.gammaParam] {
        case .number(let g): gamma = g
        case .word("auto"): gamma = 1 / n
        case .word: // scale
            let count = Double(max(1, x.values.count))
            let mean = x.values.reduce(0, +) / count
            let variance = x.values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
            gamma = variance == 0 ? 1 : 1 / (n * variance)
        }
        return SVMKernel(kind: self[Self.kernelParam], gamma: gamma, degree: self[Self.degreeParam], coef0: self[Self.coef0Param])
    }

    /// Solves one libsvm problem over `rows` of `x`.
    func solve(_ x: Matrix, rows: [Int], kernel: SVMKernel, p: [Double], y: [Int8], c: [Double], regression: Bool,
               control: LoadControl?) throws -> SVMSolver.Solution {
        let kr = KernelRows(x, rows: rows, kernel: kernel)
        let q: SVMQMatrix = regression ? RegressionQ(rows: kr, cacheBytes: Self.cacheBytes)
                                       : ClassificationQ(rows: kr, y: y, cacheBytes: Self.cacheBytes)
        return try SVMSolver.solve(q, p: p, y: y, c: c, eps: self[Self.tolParam], shrinking: self[Self.shrinkingParam],
                                   maxIterations: self[Self.maxIterParam], control: control)
    }

    func fitRegressor(_ x: Matrix, y: [Double], control: LoadControl?) throws -> Regressor {
        let l = x.rows, kernel = kernel(for: x)
        let epsilon = self[Self.epsilonParam], c = self[Self.cParam]
        let p = y.map { epsilon - $0 } + y.map { epsilon + $0 }
        let signs = [Int8](repeating: 1, count: l) + [Int8](repeating: -1, count: l)
        let s = try solve(x, rows: Array(0..<l), kernel: kernel, p: p, y: signs, c: Array(repeating: c, count: 2 * l), regression: true, control: control)
        let alpha = (0..<l).map { s.alpha[$0] - s.alpha[$0 + l] }
        let support = (0..<l).filter { alpha[$0] != 0 }
        return Regressor(kernel: kernel, supportVectors: x.rows(support), coefficients: support.map { alpha[$0] }, rho: s.rho)
    }
}

extension SVM {
    /// The SVM classifier: libsvm's one-vs-one model over the classes seen in training (`labels`, sorted codes).
    public struct Classifier: FittedClassifier, FittedLabeller {
        public static let kind = "svm_classifier"
        public var kernel: SVMKernel
        public var classCount: Int
        /// The class codes trained on, ascending (libsvm's classes; a class absent from training gets no votes).
        public var labels: [Int]
        /// Support vectors grouped by class, in training order within each class.
        public var supportVectors: Matrix
        /// How many support vectors each of `labels` has.
        public var supportCounts: [Int]
        /// libsvm's `sv_coef`: (classes − 1) rows of one coefficient per support vector.
        public var coefficients: [[Double]]
        /// Per pair (0,1), (0,2), …, (1,2), …: the offset ρ and Platt's A and B.
        public var rho: [Double]
        public var probA: [Double]
        public var probB: [Double]
        public var task: LearningTask { .classification }

        public func validate(width: Int, classes: Int) throws {
            try kernel.validate()
            try Check.count(classCount, classes, "the class count")
            let k = labels.count
            guard k >= 2, zip(labels, labels.dropFirst()).allSatisfy({ $0 < $1 }), labels.allSatisfy({ (0..<classes).contains($0) }) else {
                throw PetalError("svm labels \(labels) are not ascending class codes below \(classes)")
            }
            try Check.count(supportVectors.columns, width, "the support vectors' columns")
            try Check.count(supportVectors.values.count, supportVectors.rows * supportVectors.columns, "the support vector values")
            try Check.count(supportCounts.count, k, "the support counts")
            guard supportCounts.allSatisfy({ $0 >= 0 }) else { throw PetalError("a negative support vector count") }
            try Check.count(supportCounts.reduce(0, +), supportVectors.rows, "the support vectors")
            try Check.count(coefficients.count, k - 1, "the coefficient rows")
            for row in coefficients { try Check.count(row.count, supportVectors.rows, "a coefficient row") }
            for v in [rho, probA, probB] { try Check.count(v.count, k * (k - 1) / 2, "the per-pair values") }
        }

        /// Decision values per pair, libsvm's `svm_predict_values` (positive: the pair's first class).
        public func decisionValues(_ q: Matrix) -> Matrix {
            let k = labels.count, n = supportVectors.rows, d = q.columns
            var out = Matrix(rows: q.rows, columns: k * (k - 1) / 2, repeating: .nan)
            guard d == supportVectors.columns else { return out }
            var starts = [0]
            for c in supportCounts.dropLast() { starts.append(starts[starts.count - 1] + c) }
            var kv = [Double](repeating: 0, count: n)
            q.values.withUnsafeBufferPointer { qp in
                supportVectors.values.withUnsafeBufferPointer { sp in
                    guard let qb = qp.baseAddress, let sb = sp.baseAddress else { return }
                    for r in 0..<q.rows {
                        for s in 0..<n { kv[s] = kernel.value(qb + r * d, sb + s * d, d) }
                        var pair = 0
                        for i in 0..<k {
                            for j in (i + 1)..<max(i + 1, k) {
                                var sum = 0.0
                                for s in starts[i]..<(starts[i] + supportCounts[i]) { sum += coefficients[j - 1][s] * kv[s] }
                                for s in starts[j]..<(starts[j] + supportCounts[j]) { sum += coefficients[i][s] * kv[s] }
                                out[r, pair] = sum - rho[pair]
                                pair += 1
                            }
                        }
                    }
                }
            }
            return out
        }

        /// One-vs-one votes; the class with most votes, the first (lowest code) on ties, as libsvm.
        public func predictCodes(_ q: Matrix) -> [Int] {
            let dv = decisionValues(q), k = labels.count
            return (0..<q.rows).map { r in
                var votes = [Int](repeating: 0, count: k)
                var pair = 0
                for i in 0..<k { for j in (i + 1)..<max(i + 1, k) { votes[dv[r, pair] > 0 ? i : j] += 1; pair += 1 } }
                return labels[votes.argmax()]
            }
        }

        /// Platt-scaled pairwise probabilities, coupled for more than two classes (0 for untrained classes).
        public func predictProba(_ q: Matrix) -> Matrix {
            let dv = decisionValues(q)
            var out = Matrix(rows: q.rows, columns: classCount)
            for r in 0..<q.rows {
                let p = SVMProbability.classProbabilities(Array(dv.row(r)), a: probA, b: probB, k: labels.count)
                for (i, code) in labels.enumerated() { out[r, code] = p[i] }
            }
            return out
        }
    }

    /// The SVM regressor: Σ coefficient · K(support vector, x) − ρ.
    public struct Regressor: FittedRegressor {
        public static let kind = "svm_regressor"
        public var kernel: SVMKernel
        public var supportVectors: Matrix
        public var coefficients: [Double]
        public var rho: Double
        public var task: LearningTask { .regression }

        public func validate(width: Int, classes: Int) throws {
            try kernel.validate()
            try Check.count(supportVectors.columns, width, "the support vectors' columns")
            try Check.count(supportVectors.values.count, supportVectors.rows * supportVectors.columns, "the support vector values")
            try Check.count(coefficients.count, supportVectors.rows, "the coefficients")
        }

        public func predictValues(_ q: Matrix) -> [Double] {
            let d = q.columns, n = supportVectors.rows
            guard d == supportVectors.columns else { return Array(repeating: .nan, count: q.rows) }
            return q.values.withUnsafeBufferPointer { qp in
                supportVectors.values.withUnsafeBufferPointer { sp in
                    (0..<q.rows).map { r in
                        guard let qb = qp.baseAddress, let sb = sp.baseAddress else { return -rho }
                        var sum = 0.0
                        for s in 0..<n { sum += coefficients[s] * kernel.value(qb + r * d, sb + s * d, d) }
                        return sum - rho
                    }
                }
            }
        }
    }
}
