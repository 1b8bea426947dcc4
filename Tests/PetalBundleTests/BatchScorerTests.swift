import Foundation
import Testing
import PetalData
@testable import PetalML
@testable import PetalBundle

/// Batch scoring's output: number text identical to the shortest round-trip form, and whole files in each format.
@Suite struct BatchScorerTests {
    @Test func numberBytesMatchTheShortestText() {
        var rng = SplitMix64(seed: 11)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var values: [Double] = [0, -0.0, 1, -1, 5.1, 0.1 + 0.2, 123.45, 1e-3, 9.99e-4, 1e-7, 1e15, 1e15 - 1, 9.007199254740993e15,
                                1e300, -2.5, 0.5, 100, .infinity, -.infinity, 4.35, 1_125_899_906_842_623.5]
        for i in 0..<1_000_000 {
            let scale = [1.0, 10, 1000, 1e6, 1e-2, 1e12][i % 6]
            var v = (uniform() - 0.3) * scale
            let decimals = i % 8
            if decimals < 7 { v = (v * pow(10, Double(decimals))).rounded() / pow(10, Double(decimals)) }
            values.append(v)
        }
        // Full-precision doubles (probabilities) take the exact shortest search: uniform in [0, 1), around the
        // powers of two (where the gap below is half), and x.25-style values near 2^49 whose two shortest
        // candidates tie (description keeps the even digit).
        for i in 0..<300_000 { values.append(i % 2 == 0 ? uniform() : -uniform() * 1e4) }
        for e in -10...49 {
            let p = Double(sign: .plus, exponent: e, significand: 1)
            values += [p, p.nextUp, p.nextDown, p * (1 + uniform())]
        }
        for i in 0..<10_000 { values.append(562_949_953_421_312 + Double(i) + [0.25, 0.75, 0.125, 0.375][i % 4]) }
        // Every magnitude: random bit patterns (subnormals, huge, tiny), log-uniform values from 1e-6 to 1e17
        // (across the 1e-4 and 1e15 ends of the exact path), every power of two and its neighbours, and edges.
        for _ in 0..<300_000 { values.append(Double(bitPattern: rng.next())) }
        for _ in 0..<20_000 { values.append(Double(bitPattern: rng.next() % (1 << 52))) }
        for i in 0..<300_000 { values.append((i % 2 == 0 ? 1 : -1) * pow(10, uniform() * 23 - 6)) }
        for e in -1074...1023 {
            let p = Double(sign: .plus, exponent: e, significand: 1)
            values += [p, p.nextUp, p.nextDown]
        }
        for edge in [1e-4, 1e-3, 1e15, 1e16, 1e21, 9_007_199_254_740_992, .leastNormalMagnitude, .greatestFiniteMagnitude] {
            values += [edge, edge.nextUp, edge.nextDown, -edge]
        }
        for d in 1...6 { for i in 0..<20_000 { values.append(Double(i) / pow(10, Double(d))) } }
        // Few decimals with 14 to 17 significant digits (where a first try at more decimals must not be taken).
        for d in 1...6 {
            for i in 0..<5_000 {
                for base: Int64 in [10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000] {
                    values.append(Double(base + Int64(i) * 7) / pow(10, Double(d)))
                }
            }
        }
        /// What a writer writes into a fresh buffer, as text.
        func text(_ write: (inout TextBytes) -> Void) -> String {
            var out = TextBytes(capacity: 0)
            write(&out)
            return String(decoding: out.bytes(), as: UTF8.self)
        }
        var mismatches: [String] = []
        for v in values {
            let json = text { NumberBytes.appendJSON(v, to: &$0) }
            if json != JSONText.number(v), mismatches.count < 5 {
                mismatches.append("\(JSONText.number(v)) written in JSON as \(json)")
            }
            let expected = CellText.number(v)
            // Without a hint, and with the scaled path's first try at each number of decimals (a column's
            // `typicalDecimals`): the same text whatever is tried first.
            for (fewDecimals, decimals) in [(true, -1), (false, -1), (true, 0), (true, 1), (true, 2), (true, 3), (true, 4), (true, 6)] {
                let out = text { NumberBytes.append(v, to: &$0, fewDecimals: fewDecimals, decimals: decimals) }
                if out != expected, mismatches.count < 5 {
                    mismatches.append("\(expected) written as \(out) (fewDecimals: \(fewDecimals), decimals: \(decimals))")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        for k: Int64 in [0, 7, -7, 9, 10, 99, 100, 12345678, 123456789, 1234567890123, 1234567890123456, 12345678901234567,
                         .max, .min + 1, .min] {
            #expect(text { NumberBytes.append(k, to: &$0) } == String(k))
        }
        // Fixed-point text around the 8- and 16-digit group edges, and fractions shorter and longer than the digits.
        for (k, d, expected): (Int64, Int, String) in [(5, 3, "0.005"), (-5, 3, "-0.005"), (12345, 2, "123.45"), (120, 1, "12"),
                                                      (100_000_000, 8, "1"), (123_456_789, 8, "1.23456789"), (123_456_789, 9, "0.123456789"),
                                                      (12_345_678_901_234_567, 17, "0.12345678901234567"), (12_345_678_901_234_567, 1, "1234567890123456.7"),
                                                      (0, 4, "0"), (-0, 0, "0")] {
            #expect(text { out in out.write(most: 32) { NumberBytes.writeFixed(k, decimals: d, to: $0) } } == expected)
        }
        // A buffer grows past its first capacity.
        #expect(text { out in for _ in 0..<100 { NumberBytes.append(0.1, to: &out) } } == String(repeating: "0.1", count: 100))
    }

    @Test func writesEveryFormat() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let penguins = try Fixture.penguins()
        let model = try Fixture.fit("imputer | one_hot | logistic_regression", penguins, target: "species", task: .classification)
        let bundle = try ServingBundle.load(from: try Fixture.export(model, training: penguins, in: folder))
        let expected = try bundle.predict(penguins)
        for format in [BatchScorer.Format.csv, .tsv, .ndjson] {
            var scorer = BatchScorer(bundle: bundle, format: format)
            scorer.chunkRows = 100   // several chunks
            var data = Data()
            var progress: [Int] = []
            try scorer.score(penguins, write: { data.append(contentsOf: $0) }, progress: { done, _ in progress.append(done) })
            #expect(progress == [0, 100, 200, 300, 344])
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            #expect(lines.count == (format == .ndjson ? 344 : 345))
            if format == .ndjson {
                let rows = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
                #expect(rows.map { $0["predicted"] as? String } == expected.labels)
                #expect(rows[3]["bill_length_mm"] is NSNull)   // a missing value stays null
            } else {
                let sep: Character = format == .csv ? "," : "\t"
                #expect(lines[0].split(separator: sep).suffix(4) == ["predicted", "p_Adelie", "p_Chinstrap", "p_Gentoo"])
                let predicted = lines.dropFirst().map { String($0.split(separator: sep, omittingEmptySubsequences: false).suffix(4).first ?? "") }
                #expect(predicted == expected.labels)
            }
        }
    }
    /// Rows are scored in slices on every core and written chunk by chunk in order: an input that overflows inside
    /// the pipeline in a later chunk stops scoring with the chunks before it written whole (and nothing of its own
    /// chunk), whatever the workers had rendered ahead; a writer that fails stops the workers.
    @Test func aFailingChunkStopsScoringAfterTheChunksBeforeIt() throws {
        let folder = try Fixture.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let iris = try Fixture.sample("iris.csv")
        let model = try Fixture.fit("standard_scaler | logistic_regression", iris, target: "variety", task: .classification)
        let bundle = try ServingBundle.load(from: try Fixture.export(model, training: iris, in: folder))
        let names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
        let rows = 20_000, bad = 13_777
        var columns = try names.map { try #require(try iris.requireColumn($0).doublesWithNaN()) }
        columns = columns.map { c in (0..<rows).map { c[$0 % 150] } }
        columns[0][bad] = 1e308; columns[1][bad] = -1e308
        let frame = try Frame(columns: zip(names, columns).map { Column(name: $0, storage: .float($1)) })
        for chunkRows in [1000, 3000, 4096] {
            var scorer = BatchScorer(bundle: bundle, format: .csv, predictionsOnly: true)
            scorer.chunkRows = chunkRows
            var lines = 0
            var progress: [Int] = []
            #expect(throws: BundleInputError.self) {
                try scorer.score(frame, write: { part in lines += part.lazy.filter { $0 == 10 }.count }, progress: { done, _ in progress.append(done) })
            }
            let written = bad / chunkRows * chunkRows
            #expect(lines == 1 + written, "chunk \(chunkRows)")
            #expect(progress.last == written)
            // A writer that fails is the error, and scoring stops.
            var calls = 0
            struct Full: Error {}
            #expect(throws: Full.self) {
                try scorer.score(frame, write: { _ in calls += 1; if calls == 3 { throw Full() } })
            }
            #expect(calls == 3)
        }
    }
}
