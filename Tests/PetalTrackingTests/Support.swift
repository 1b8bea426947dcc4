import Foundation
@testable import PetalTracking

/// A new empty folder for one test's store.
func scratchFolder(_ label: String = "store") -> String {
    let path = NSTemporaryDirectory() + "petal-tracking-test-\(label)-\(getpid())-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A run start with the given params.
func start(_ params: [(String, String)] = [], kind: String = "fit") -> RunStart {
    RunStart(kind: kind, pipelineName: "p", pipeline: "knn n_neighbors=3", dataset: "iris", fingerprint: "f", seed: 42,
             petalVersion: "test", commands: ["open iris.csv", "fit p on iris target=variety"], params: params)
}
