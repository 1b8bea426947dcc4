import Foundation
import Testing
@testable import PetalData

/// Statistics checked against fixtures generated with pandas and numpy (Tests/Fixtures/pandas/generate.py).
@Suite struct PandasFixtureTests {
    static let samples = ["iris", "penguins", "seattle-weather"]

    struct Fixture {
        let json: [String: Any]
        var columns: [[String: Any]] { json["columns"] as? [[String: Any]] ?? [] }
    }

    func load(_ sample: String) throws -> (Frame, Fixture) {
        let result = try Loaders.load(path: Repo.path("samples/\(sample).csv"))
        let data = try Data(contentsOf: URL(fileURLWithPath: Repo.path("Tests/Fixtures/pandas/\(sample).json")))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (try #require(result.frame), Fixture(json: json))
    }

    @Test(arguments: samples) func describeMatchesPandas(sample: String) throws {
        let (frame, fixture) = try load(sample)
        #expect(frame.rowCount == fixture.json["rows"] as? Int)
        let summaries = Describe.compute(frame)
        for expected in fixture.columns {
            let name = try #require(expected["name"] as? String)
            let s = try #require(summaries.first { $0.name == name }, "column \(name)")
            #expect(s.count == expected["count"] as? Int, "\(name) count")
            #expect(s.nullCount == expected["null_count"] as? Int, "\(name) null_count")
            if let mean = expected["mean"] as? Double {
                #expect(close(s.mean, mean), "\(name) mean \(String(describing: s.mean)) vs \(mean)")
                #expect(close(s.std, expected["std"] as? Double), "\(name) std")
                #expect(close(s.min, expected["min"] as? Double), "\(name) min")
                #expect(close(s.q25, expected["25%"] as? Double), "\(name) 25%")
                #expect(close(s.median, expected["50%"] as? Double), "\(name) 50%")
                #expect(close(s.q75, expected["75%"] as? Double), "\(name) 75%")
                #expect(close(s.max, expected["max"] as? Double), "\(name) max")
            }
            if let unique = expected["unique"] as? Int {
                #expect(s.unique == unique, "\(name) unique")
                #expect(s.top?.plainText == expected["top"] as? String, "\(name) top")
                #expect(s.freq == expected["freq"] as? Int, "\(name) freq")
            }
            if let min = expected["min"] as? String, let smin = s.min {
                // Dates: pandas writes 2012-01-01T00:00:00.
                #expect(min.hasPrefix(DateTimeText.format(micros: Int64(smin), dateOnly: true)), "\(name) min date")
            }
        }
    }

    @Test(arguments: samples) func countsMatchPandas(sample: String) throws {
        let (frame, fixture) = try load(sample)
        let counts = try #require(fixture.json["counts"] as? [String: [[String: Any]]])
        for (name, expected) in counts {
            let vc = ValueCounts.compute(try frame.requireColumn(name))
            #expect(vc.values.map(\.plainText) == expected.compactMap { $0["value"] as? String }, "\(name) order")
            #expect(vc.counts == expected.compactMap { $0["count"] as? Int }, "\(name) counts")
        }
    }

    @Test(arguments: samples) func histogramsMatchNumpy(sample: String) throws {
        let (frame, fixture) = try load(sample)
        let hists = try #require(fixture.json["hist"] as? [String: [String: [String: Any]]])
        for (name, byRule) in hists {
            let column = try frame.requireColumn(name)
            let values = try #require(column.doubles())
            for (rule, bins) in [("bins12", BinRule.count(12)), ("auto", BinRule.auto)] {
                let expected = try #require(byRule[rule])
                let h = Histogram.compute(values, bins: bins, integer: column.type == .int)
                let edges = expected["edges"] as? [Double] ?? []
                #expect(h.counts == expected["counts"] as? [Int], "\(name) \(rule) counts")
                #expect(h.edges.count == edges.count, "\(name) \(rule) bins")
                #expect(zip(h.edges, edges).allSatisfy { close($0, $1, 1e-12) }, "\(name) \(rule) edges")
            }
        }
    }

    @Test(arguments: samples) func correlationMatchesPandas(sample: String) throws {
        let (frame, fixture) = try load(sample)
        let corr = try #require(fixture.json["corr"] as? [String: Any])
        let names = corr["columns"] as? [String] ?? []
        let matrix = corr["matrix"] as? [[Any]] ?? []
        let m = CorrelationMatrix.compute(frame)
        #expect(m.names == names)
        for i in names.indices { for j in names.indices {
            let expected = matrix[i][j] as? Double ?? .nan
            #expect(close(m.values[i][j], expected, 1e-9), "\(names[i]) × \(names[j])")
        } }
    }

    @Test(arguments: samples) func groupedDescribeMatchesPandas(sample: String) throws {
        let (frame, fixture) = try load(sample)
        let grouped = try #require(fixture.json["grouped_describe"] as? [String: Any])
        let by = try #require(grouped["by"] as? String)
        let groups = try #require(grouped["groups"] as? [String: [String: [String: Any]]])
        let g = try GroupedSummary.compute(frame, by: by)
        #expect(g.groups.map { $0.key.plainText } == groups.keys.sorted())
        for (key, summaries) in g.groups {
            let expected = try #require(groups[key.plainText])
            for s in summaries {
                guard let e = expected[s.name] else { continue }
                #expect(Double(s.count) == e["count"] as? Double, "\(key) \(s.name) count")
                #expect(close(s.mean, e["mean"] as? Double), "\(key) \(s.name) mean")
                #expect(close(s.std, e["std"] as? Double), "\(key) \(s.name) std")
                #expect(close(s.q25, e["25%"] as? Double), "\(key) \(s.name) 25%")
                #expect(close(s.q75, e["75%"] as? Double), "\(key) \(s.name) 75%")
            }
        }
    }
}
