import Foundation
import PetalData

/// A multi-layer perceptron (scikit-learn's `MLPClassifier` / `MLPRegressor`): dense hidden layers with an
/// activation, a logistic (two classes), softmax (more) or identity (numbers) output, trained on log loss or half
/// the squared error plus an L2 penalty, by adam or sgd (shuffled mini-batches, stopping when the training loss has
/// not improved by `tol` for `n_iter_no_change` epochs) or by L-BFGS on every row. The loss after each epoch is
/// kept (`lossCurve`) and `fit` records it as the run's `loss` curve. Fitted values: the network (`Fitted`, kind `mlp`).
public struct MLP: EstimatorRecipe {
    public static let name = "mlp"
    public static let summary = "a multi-layer perceptron: a neural network of dense layers (classifier or regressor)"
    public static let hiddenLayerSizes = Param<[Int]>("hidden_layer_sizes", aliases: ["hidden"], 1...100_000, default: [100],
                                                      help: "neurons per hidden layer, e.g. 64,32 for two layers", search: .values(["50", "100", "64,32", "128,64"]))
    public static let activation = Param<MLPActivation>("activation", default: .relu,
                                                 help: "the hidden layers' activation")
    public static let solver = Param<String>("solver", choices: ["adam", "sgd", "lbfgs"], default: "adam", help: "how the weights are learned")
    public static let alpha = Param<Double>("alpha", 0...1e6, default: 1e-4, help: "L2 penalty", search: .double(0.00001...0.1, log: true))
    public static let batchSize = Param<Int?>("batch_size", 1...10_000_000, help: "rows per mini-batch (none: min(200, rows))")
    public static let learningRateInit = Param<Double>("learning_rate_init", aliases: ["lr"], 1e-9...10, default: 1e-3, help: "step size (adam, sgd)", search: .double(0.0003...0.01, log: true))
    public static let momentum = Param<Double>("momentum", 0...1, default: 0.9, help: "sgd's Nesterov momentum")
    public static let maxIter = Param<Int>("max_iter", aliases: ["epochs"], 1...1_000_000, default: 200,
                                           help: "epochs at most (adam, sgd) or L-BFGS iterations at most")
    public static let tol = Param<Double>("tol", 0...1e6, default: 1e-4, help: "an improvement smaller than this does not count")
    public static let nIterNoChange = Param<Int>("n_iter_no_change", 1...1_000_000, default: 10, help: "epochs without improvement before stopping")
    public static let earlyStopping = Param<Bool>("early_stopping", default: false,
                                                  help: "hold out 10% and stop when its score stops improving (adam, sgd); keep the best weights")
    public static let randomState = Param<Int>("random_state", aliases: ["seed"], 0...Int(UInt32.max), default: 0, help: "seed for weights and shuffling")
    public static let parameters = [hiddenLayerSizes.descriptor, activation.descriptor, solver.descriptor, alpha.descriptor, batchSize.descriptor,
                                    learningRateInit.descriptor, momentum.descriptor, maxIter.descriptor, tol.descriptor, nIterNoChange.descriptor,
                                    earlyStopping.descriptor, randomState.descriptor]
    public static let tasks: Set<LearningTask> = [.classification, .regression]
    /// Gradient steps converge on standardised inputs.
    public static let featureScaling = FeatureScaling.standard
    public static let fittedKinds = [FittedKind(Fitted.self)]

    public let values: ParameterValues
    public init(_ values: ParameterValues) { self.values = values }

    public func fit(_ x: Matrix, target: Target, context: FitContext) throws -> any FittedEstimator {
        let k = context.classCount
        let outputs: Int, output = MLPOutput(classCount: k)
        var y: [Double]
        switch target {
        case .classes(let labels):
            outputs = k == 2 ? 1 : k
            y = [Double](repeating: 0, count: x.rows * outputs)
            for (r, l) in labels.enumerated() { if k == 2 { y[r] = l == 1 ? 1 : 0 } else { y[r * k + l] = 1 } }
        case .values(let v): outputs = 1; y = v
        case .none: throw PetalError("mlp needs target=COLUMN: the class or number to predict")
        }
        var rng = SplitMix64(seed: UInt64(self[Self.randomState]))
        var net = MLPNetwork(sizes: [x.columns] + self[Self.hiddenLayerSizes] + [outputs], activation: self[Self.activation], output: output, rng: &rng)
        let curve: [Double]
        if self[Self.solver] == "lbfgs" {
            curve = try MLPTraining.lbfgs(&net, x.values, y, rows: x.rows, alpha: self[Self.alpha], maxIter: self[Self.maxIter],
                                          tol: self[Self.tol], control: context.control)
        } else {
            curve = try MLPTraining.stochastic(&net, x: x, y: y, recipe: self, classCount: k, rng: &rng, control: context.control)
        }
        return Fitted(network: net, classCount: k, lossCurve: curve)
    }

    /// A fitted network; `lossCurve` holds the training loss after each epoch (L-BFGS: each iteration).
    public struct Fitted: FittedClassifier, FittedRegressor, StagedEstimator {
        public static let kind = "mlp"
        var network: MLPNetwork
        public var classCount: Int
        public var lossCurve: [Double]
        public var task: LearningTask { classCount == 0 ? .regression : .classification }

        public var layerSizes: [Int] { network.sizes }
        public var weights: [[Double]] { network.weights }
        public var biases: [[Double]] { network.biases }
        public var activation: MLPActivation { network.activation }

        public func validate(width: Int, classes: Int) throws {
            try Check.count(classCount, classes, "the class count")
            let s = network.sizes
            guard s.count >= 2, s.allSatisfy({ $0 > 0 }) else { throw PetalError("the network has no layers") }
            try Check.count(s[0], width, "the input layer's size")
            try Check.count(s[s.count - 1], classCount == 0 ? 1 : (classCount == 2 ? 1 : classCount), "the output layer's size")
            try Check.count(network.weights.count, s.count - 1, "weight matrices")
            try Check.count(network.biases.count, s.count - 1, "bias vectors")
            for l in 0..<(s.count - 1) {
                try Check.count(network.weights[l].count, s[l] * s[l + 1], "layer \(l + 1)'s weights")
                try Check.count(network.biases[l].count, s[l + 1], "layer \(l + 1)'s biases")
            }
            guard network.output == MLPOutput(classCount: classCount) else {
                throw PetalError("the network's output \(network.output.rawValue) does not fit \(classCount) classes")
            }
        }

        func outputs(_ x: Matrix) -> [Double] {
            guard x.columns == network.sizes[0] else { return [Double](repeating: .nan, count: x.rows * (network.sizes.last ?? 1)) }
            return network.outputs(x.values, rows: x.rows)
        }

        public func predictProba(_ x: Matrix) -> Matrix {
            let o = outputs(x)
            if classCount == 2 {
                var m = Matrix(rows: x.rows, columns: 2)
                for r in 0..<x.rows { m[r, 0] = 1 - o[r]; m[r, 1] = o[r] }
                return m
            }
            return Matrix(rows: x.rows, columns: classCount, values: o)
        }

        public func predictValues(_ x: Matrix) -> [Double] { outputs(x) }

        /// The training loss curve, recorded by `fit` as the run's `loss` metric (step = epoch).
        public func stagedScores(_ features: Matrix, target: Target) -> (key: String, values: [Double])? {
            lossCurve.isEmpty ? nil : ("loss", lossCurve)
        }
    }
}
