import Foundation
import Testing
@testable import PetalSession

@Suite struct ReplayCommandTests {
    @Test func replayGivesIdenticalMetrics() throws {
        let s = trackedIrisSession()
        mustRun(s, "filter iris petal_length > 2 as big; pipeline g = gradient_boosting trees=10; fit g on big target=variety; cv g on big target=variety folds=3")
        let detail = try #require(mustRun(s, "run 1").output as? RunOutput).detail
        #expect(detail.commands.count == 4)
        #expect(detail.commands.last == "fit g on big target=variety")
        #expect(detail.summary.metrics["round_accuracy"]?.count == 10)   // boosting curve
        for id in [1, 2] {
            let out = try #require(mustRun(s, "replay \(id)").output as? ReplayOutput)
            #expect(out.identical)
            #expect(out.renderText(width: 80).hasSuffix("every metric is identical"))
        }
    }

    @Test func replayRefusesChangedData() throws {
        let folder = NSTemporaryDirectory() + "petal-replay-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let csv = folder + "/d.csv"
        try "x,y\n1,a\n2,a\n3,b\n4,b\n5,a\n6,b\n7,a\n8,b\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let s = Session(width: 80, trackingFolder: folder + "/.petal", clock: .counting())
        mustRun(s, "open \(csv) as d; pipeline p = knn k=1; fit p on d target=y test=0.25")
        try "x,y\n1,a\n2,a\n3,b\n4,b\n5,a\n6,b\n7,a\n9,b\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let error = try #require(s.execute("replay 1").error)
        #expect(error.message.hasPrefix("the data changed since run 1: d now has fingerprint"))
    }
}
