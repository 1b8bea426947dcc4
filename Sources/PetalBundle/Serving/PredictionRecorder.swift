import Foundation
import PetalData

/// Where the server hands each answered request's rows to be kept (`petal serve --log-to GROUP`). `record` runs on
/// the request path, so it must only queue (no I/O, no waiting on a disk or a database): the feature store's writer
/// (`PredictionLogWriter` in PetalSession) batches the rows and writes them on a thread of its own.
public protocol PredictionRecorder: AnyObject, Sendable {
    /// - Parameters:
    ///   - inputs: the decoded request, one column per input in the model's order.
    ///   - predictions: what the model answered for those rows.
    ///   - model: the model that answered (a hot swap changes it between requests).
    ///   - time: when it answered (seconds since 1970).
    func record(inputs: Frame, predictions: Predictions, model: ModelDescription, time: Double)
}
