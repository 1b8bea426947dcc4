import Foundation

/// A hidden layer's activation (scikit-learn's names). Training, prediction, the initial weights' scale and the
/// ONNX export switch over these cases, so a new activation is a compile error everywhere it must be handled.
public enum MLPActivation: String, ChoiceValue, Codable, Sendable, Hashable {
    case relu, tanh, logistic, identity

    public static var fallback: MLPActivation { .relu }

    /// Applies the function to the `count` values at `z` (the switch outside the loop, so relu's is vector code).
    func apply(_ z: UnsafeMutablePointer<Double>, count: Int) {
        switch self {
        case .relu: for i in 0..<count { z[i] = z[i] < 0 ? 0 : z[i] }
        case .tanh: for i in 0..<count { z[i] = Foundation.tanh(z[i]) }
        case .logistic: for i in 0..<count { z[i] = 1 / (1 + exp(-z[i])) }
        case .identity: break
        }
    }

    /// Multiplies the `count` gradients at `g` by the activation's derivative, from its outputs `h` (one loop per
    /// activation, not a call per value).
    func scaleByDerivative(_ g: UnsafeMutablePointer<Double>, outputs h: UnsafePointer<Double>, count: Int) {
        switch self {
        case .relu: for i in 0..<count { g[i] *= h[i] > 0 ? 1 : 0 }
        case .tanh: for i in 0..<count { g[i] *= 1 - h[i] * h[i] }
        case .logistic: for i in 0..<count { g[i] *= h[i] * (1 - h[i]) }
        case .identity: break                                           // × 1
        }
    }

    /// Glorot-uniform's numerator: the bound is √(this / (fanIn + fanOut)) (scikit-learn: 2 for logistic, else 6).
    var initialScale: Double { self == .logistic ? 2 : 6 }

    public init(from decoder: Decoder) throws {
        let word = try decoder.singleValueContainer().decode(String.self)
        guard let value = MLPActivation(rawValue: word) else {
            throw corrupt(decoder, "activation \"\(word)\" is not one of \(Self.words.joined(separator: ", "))")
        }
        self = value
    }
}

/// A network's output function: the class probability (two classes), the class distribution (more), or the value.
enum MLPOutput: String, Codable, Sendable, Hashable {
    case logistic, softmax, identity

    /// The output a network for `classCount` classes has (0: a regressor).
    init(classCount: Int) { self = classCount == 0 ? .identity : classCount == 2 ? .logistic : .softmax }

    init(from decoder: Decoder) throws {
        let word = try decoder.singleValueContainer().decode(String.self)
        guard let value = MLPOutput(rawValue: word) else {
            throw corrupt(decoder, "output \"\(word)\" is not one of logistic, softmax, identity")
        }
        self = value
    }
}
