import Foundation
import Testing
import PetalData
@testable import PetalML

/// Issue 19: Ctrl-C while an MLP trains stops training and keeps the model so far, saying so; a cancel before
/// the first epoch is still an error (there is no model yet).
@Suite struct MLPCancelTests {
    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var result: Result<any FittedEstimator, any Error>?
    }

    static func data() -> (Matrix, [Int]) {
        var rng = SplitMix64(seed: 3)
        var values: [Double] = [], labels: [Int] = []
        for i in 0..<200 {
            let c = i % 2
            values.append(Double(c) * 2 + Double(rng.next() % 1000) / 1000)
            values.append(Double(rng.next() % 1000) / 1000)
            labels.append(c)
        }
        return (Matrix(rows: 200, columns: 2, values: values), labels)
    }

    @Test(arguments: ["adam", "lbfgs"])
    func ctrlCKeepsTheModelSoFar(solver: String) throws {
        let (x, y) = Self.data()
        let recipe = MLP(try ParameterValues([("hidden_layer_sizes", "8"), ("max_iter", "1000000"), ("solver", solver), ("tol", "0")],
                                             step: "mlp", descriptors: MLP.parameters))
        let control = LoadControl()
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let r = Result { try recipe.fit(x, target: .classes(y), context: FitContext(classCount: 2, control: control)) }
            box.lock.lock(); box.result = r; box.lock.unlock()
            done.signal()
        }
        // Cancel once a few epochs have run (polling the progress, not a fixed delay).
        func finished() -> Bool { box.lock.lock(); defer { box.lock.unlock() }; return box.result != nil }
        while control.progress.done < 3 && !finished() { usleep(1000) }
        #expect(!finished(), "training ended by itself before the cancel; the test needs a longer fit")
        control.cancel()
        done.wait()
        let fitted = try #require(try box.result?.get())
        let note = try #require(control.notes.first)
        #expect(note.contains("stopped by Ctrl-C"), "\(note)")
        #expect(note.contains("of 1000000"))
        // The kept model predicts (probabilities that sum to one).
        let classifier = try #require(fitted as? any FittedClassifier)
        let p = classifier.predictProba(x)
        #expect(p.rows == 200 && abs((0..<p.columns).reduce(0) { $0 + p[0, $1] } - 1) < 1e-9)
    }

    @Test func ctrlCBeforeTheFirstEpochIsAnError() throws {
        let (x, y) = Self.data()
        let recipe = MLP(try ParameterValues([("hidden_layer_sizes", "8")], step: "mlp", descriptors: MLP.parameters))
        let control = LoadControl()
        control.cancel()
        #expect(throws: PetalError.self) { try recipe.fit(x, target: .classes(y), context: FitContext(classCount: 2, control: control)) }
        #expect(control.notes.isEmpty)
    }
}
