import Foundation
import PetalData
import Testing
@testable import PetalML

/// The MLP's arithmetic: back-propagated gradients against finite differences of the loss (every activation and
/// output function), and the reused pass memory and the banded products leaving no trace in the results.
@Suite struct MLPNetworkTests {
    static func data(rows: Int, width: Int, outputs: Int, seed: UInt64) -> ([Double], [Double]) {
        var rng = SplitMix64(seed: seed)
        let x = (0..<(rows * width)).map { _ in Double.random(in: -2...2, using: &rng) }
        var y = [Double](repeating: 0, count: rows * outputs)
        for r in 0..<rows {
            if outputs == 1 { y[r] = Double(Int.random(in: 0...1, using: &rng)) } else { y[r * outputs + Int.random(in: 0..<outputs, using: &rng)] = 1 }
        }
        return (x, y)
    }

    @Test(arguments: MLPActivation.allCases) func gradientsAreTheLossesSlopes(_ activation: MLPActivation) {
        for output in [MLPOutput.softmax, .logistic, .identity] {
            let outputs = output == .softmax ? 3 : 1
            var rng = SplitMix64(seed: 11)
            let net = MLPNetwork(sizes: [4, 5, 3, outputs], activation: activation, output: output, rng: &rng)
            var (x, y) = Self.data(rows: 7, width: 4, outputs: outputs, seed: 5)
            if output == .identity { y = y.map { $0 * 3 - 1 } }
            let alpha = 0.01
            let (_, gw, gb) = net.lossAndGradients(x, y, rows: 7, alpha: alpha)
            let h = 1e-6
            for l in net.weights.indices {
                for k in net.weights[l].indices {
                    var up = net, down = net
                    up.weights[l][k] += h; down.weights[l][k] -= h
                    let slope = (up.lossAndGradients(x, y, rows: 7, alpha: alpha).0 - down.lossAndGradients(x, y, rows: 7, alpha: alpha).0) / (2 * h)
                    #expect(abs(slope - gw[l][k]) <= 1e-6 * max(1, abs(slope)), "\(activation) \(output) w[\(l)][\(k)]: \(gw[l][k]) against \(slope)")
                }
                for k in net.biases[l].indices {
                    var up = net, down = net
                    up.biases[l][k] += h; down.biases[l][k] -= h
                    let slope = (up.lossAndGradients(x, y, rows: 7, alpha: alpha).0 - down.lossAndGradients(x, y, rows: 7, alpha: alpha).0) / (2 * h)
                    #expect(abs(slope - gb[l][k]) <= 1e-6 * max(1, abs(slope)), "\(activation) \(output) b[\(l)][\(k)]: \(gb[l][k]) against \(slope)")
                }
            }
        }
    }

    /// A pass reused for a smaller batch, and products cut into 2 or 3 bands (large enough to be cut: 600 rows ×
    /// 40 × 64), give the bits of a fresh pass computing on one thread.
    @Test func reusedAndBandedPassesGiveTheSameBits() {
        var rng = SplitMix64(seed: 3)
        let net = MLPNetwork(sizes: [40, 64, 30, 4], activation: .relu, output: .softmax, rng: &rng)
        let (x, y) = Self.data(rows: 600, width: 40, outputs: 4, seed: 9)
        let (small, smallY) = (Array(x[0..<(50 * 40)]), Array(y[0..<(50 * 4)]))
        func run(_ pass: MLPPass, _ x: [Double], _ y: [Double], rows: Int) -> [UInt64] {
            let loss = net.lossAndGradients(x, y, rows: rows, alpha: 1e-4, pass: pass)
            return [loss.bitPattern] + (pass.weightGradients + pass.biasGradients).flatMap { $0.map(\.bitPattern) }
        }
        let one = run(MLPPass(net, rows: 600, parts: 1), x, y, rows: 600)
        for parts in [2, 3] { #expect(run(MLPPass(net, rows: 600, parts: parts), x, y, rows: 600) == one, "\(parts) bands") }
        let reused = MLPPass(net, rows: 600)
        _ = run(reused, x, y, rows: 600)
        #expect(run(reused, small, smallY, rows: 50) == run(MLPPass(net, rows: 50, parts: 1), small, smallY, rows: 50))
        // Prediction's outputs are the training pass's forward outputs.
        let pass = MLPPass(net, rows: 600, parts: 1)
        _ = net.lossAndGradients(x, y, rows: 600, alpha: 0, pass: pass)
        let trained = Array(UnsafeBufferPointer(start: pass.outputs[3], count: 600 * 4))
        #expect(net.outputs(x, rows: 600).map(\.bitPattern) == trained.map(\.bitPattern))
    }
}

extension MLPNetwork {
    /// The loss and copies of the gradients, from a pass of their own.
    func lossAndGradients(_ x: [Double], _ y: [Double], rows: Int, alpha: Double) -> (Double, [[Double]], [[Double]]) {
        let pass = MLPPass(self, rows: rows)
        let loss = lossAndGradients(x, y, rows: rows, alpha: alpha, pass: pass)
        return (loss, pass.weightGradients, pass.biasGradients)
    }
}
