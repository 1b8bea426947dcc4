import Foundation
import PetalData
@testable import PetalML
import Testing

/// The MLP's activation is one enum: each one trains, round-trips through model.json and predicts the same; a
/// model.json naming an activation or output Petal does not have is refused with the words it accepts.
@Suite struct MLPActivationTests {
    static func fitted(_ activation: String, target: String = "variety", task: LearningTask = .classification) throws -> (FittedPipeline, Matrix) {
        try ModelCodingTests.fit("standard_scaler | mlp hidden_layer_sizes=5 activation=\(activation) max_iter=20 solver=lbfgs",
                                 try PipelineParityTests.iris(), target: target, task: task)
    }

    /// Rewrites `key` in every object of the JSON tree that also has `sizes` (the fitted network, not the recipe's
    /// settings); returns how many it rewrote.
    static func rewrite(_ any: inout Any, key: String, to value: Any) -> Int {
        if var object = any as? [String: Any] {
            var n = 0
            if object[key] != nil && object["sizes"] != nil { object[key] = value; n += 1 }
            for (k, v) in object where k != key { var child = v; n += rewrite(&child, key: key, to: value); object[k] = child }
            any = object
            return n
        }
        if var array = any as? [Any] {
            var n = 0
            for i in array.indices { n += rewrite(&array[i], key: key, to: value) }
            any = array
            return n
        }
        return 0
    }

    @Test(arguments: MLPActivation.allCases) func everyActivationRoundTrips(_ activation: MLPActivation) throws {
        let (model, x) = try Self.fitted(activation.rawValue)
        let back = try ModelFormat.decode(try ModelFormat.encode(model))
        #expect(back.predictProba(x).values == model.predictProba(x).values)
        let (regressor, xr) = try Self.fitted(activation.rawValue, target: "petal_width", task: .regression)
        let backRegressor = try ModelFormat.decode(try ModelFormat.encode(regressor))
        #expect(backRegressor.predictValues(xr) == regressor.predictValues(xr))
    }

    @Test func theActivationsDiffer() throws {
        let x = try Self.fitted("relu").1
        let outputs = try MLPActivation.allCases.map { try Self.fitted($0.rawValue).0.predictProba(x).values }
        #expect(Set(outputs.map { $0.map { ($0 * 1e9).rounded() } }).count == MLPActivation.allCases.count)
    }

    @Test func anUnknownActivationOrAWrongOutputIsRefused() throws {
        let (model, _) = try Self.fitted("tanh")
        var json: Any = try JSONSerialization.jsonObject(with: ModelFormat.encode(model))
        #expect(Self.rewrite(&json, key: "activation", to: "swish") == 1)
        let error = try #require(throws: PetalError.self) { try ModelFormat.decode(try JSONSerialization.data(withJSONObject: json)) }
        #expect(error.message.contains("activation \"swish\" is not one of relu, tanh, logistic, identity"), "\(error.message)")

        var wrongOutput: Any = try JSONSerialization.jsonObject(with: ModelFormat.encode(model))
        #expect(Self.rewrite(&wrongOutput, key: "output", to: "identity") == 1)
        let outputError = try #require(throws: PetalError.self) { try ModelFormat.decode(try JSONSerialization.data(withJSONObject: wrongOutput)) }
        #expect(outputError.message.contains("output identity does not fit 3 classes"), "\(outputError.message)")
    }

    @Test func anUnknownActivationIsRefusedAtTheStep() {
        #expect(throws: PetalError.self) { try Step(name: "mlp", parameters: [("activation", "swish")]) }
    }
}
