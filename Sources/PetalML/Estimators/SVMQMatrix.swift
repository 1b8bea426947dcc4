import Foundation

/// The Q matrix of a libsvm dual problem, Q[i][j] = y_i y_j K(x_i, x_j), served a column at a time in float
/// (libsvm's `Qfloat`), with its diagonal in double.
protocol SVMQMatrix: AnyObject {
    /// Column `i`'s first `length` entries, valid until the next call.
    func column(_ i: Int, length: Int) -> UnsafePointer<Float>
    var diagonal: [Double] { get }
    /// Swaps variables `i` and `j` (shrinking moves the inactive ones to the end).
    func swap(_ i: Int, _ j: Int)
}

/// Classification (libsvm's `SVC_Q`): one variable per training row.
final class ClassificationQ: SVMQMatrix {
    private let rows: KernelRows
    private let cache: KernelCache
    private var y: [Double]
    private(set) var diagonal: [Double]
    private var scratch: UnsafeMutablePointer<Double>

    init(rows: KernelRows, y: [Int8], cacheBytes: Int) {
        self.rows = rows
        self.y = y.map(Double.init)
        cache = KernelCache(columns: rows.count, bytes: cacheBytes)
        diagonal = (0..<rows.count).map { rows.k($0, $0) }
        scratch = .allocate(capacity: max(1, rows.count))
    }

    deinit { scratch.deallocate() }

    func column(_ i: Int, length: Int) -> UnsafePointer<Float> {
        let (data, have) = cache.column(i, length: length)
        if have < length {
            rows.column(i, from: have, to: length, into: scratch)
            let yi = y[i]
            for j in have..<length { data[j] = Float(yi * y[j] * scratch[j]) }
        }
        return UnsafePointer(data)
    }

    func swap(_ i: Int, _ j: Int) {
        cache.swap(i, j)
        rows.swap(i, j)
        y.swapAt(i, j)
        diagonal.swapAt(i, j)
    }
}

/// ε-support vector regression (libsvm's `SVR_Q`): two variables per training row (α and α*), kernel rows
/// cached by training row and signed per variable.
final class RegressionQ: SVMQMatrix {
    private let rows: KernelRows
    private let cache: KernelCache
    private let l: Int
    private var sign: [Float]
    private var index: [Int]
    private(set) var diagonal: [Double]
    private var buffers: [UnsafeMutablePointer<Float>]
    private var nextBuffer = 0
    private var scratch: UnsafeMutablePointer<Double>

    init(rows: KernelRows, cacheBytes: Int) {
        self.rows = rows
        l = rows.count
        cache = KernelCache(columns: l, bytes: cacheBytes)
        sign = Array(repeating: 1, count: l) + Array(repeating: -1, count: l)
        index = Array(0..<l) + Array(0..<l)
        let d = (0..<l).map { rows.k($0, $0) }
        diagonal = d + d
        buffers = [.allocate(capacity: 2 * l), .allocate(capacity: 2 * l)]
        scratch = .allocate(capacity: max(1, l))
    }

    deinit { buffers.forEach { $0.deallocate() }; scratch.deallocate() }

    func column(_ i: Int, length: Int) -> UnsafePointer<Float> {
        let real = index[i]
        let (data, have) = cache.column(real, length: l)
        if have < l {
            rows.column(real, from: 0, to: l, into: scratch)
            for j in 0..<l { data[j] = Float(scratch[j]) }
        }
        let buffer = buffers[nextBuffer]
        nextBuffer = 1 - nextBuffer
        let si = sign[i]
        for j in 0..<length { buffer[j] = si * sign[j] * data[index[j]] }
        return UnsafePointer(buffer)
    }

    func swap(_ i: Int, _ j: Int) {
        sign.swapAt(i, j); index.swapAt(i, j); diagonal.swapAt(i, j)
    }
}
