import Foundation

/// A hidden layer's activation (scikit-learn's names). Training, prediction, the initial weights' scale and the
/// ONNX export switch over these cases, so a new activation is a compile error everywhere it must be handled.
public enum MLPActivation: String, ChoiceValue, Codable, Sendable, Hashable {
    case relu, tanh, logistic, identity

    public static var fallback: MLPActivation { .relu }

    /// Applies the function to every element.
    func apply(_ z: inout [Double]) {
        switch self {
        case .relu: for i in z.indices where z[i] < 0 { z[i] = 0 }
        case .tanh: for i in z.indices { z[i] = Foundation.tanh(z[i]) }
        case .logistic: for i in z.indices { z[i] = 1 / (1 + exp(-z[i])) }
        case .identity: break
        }
    }

    /// The derivative from the activation's output h (chosen once per layer, not per element).
    var derivative: (Double) -> Double {
        switch self {
        case .relu: { $0 > 0 ? 1 : 0 }
        case .tanh: { 1 - $0 * $0 }
        case .logistic: { $0 * (1 - $0) }
        case .identity: { _ in 1 }
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
