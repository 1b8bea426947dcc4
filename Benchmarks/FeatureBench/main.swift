import Foundation
import PetalData
import PetalFeatures

// Feature store insert benchmark (issue 20): the time of one small upsert into a group that already holds many rows.
// Usage: FeatureBench FOLDER|postgresql://… [--rows N] [--batch N] [--repeat N]   (prints one JSON object)
// A folder must not exist or be empty (it gets features.db); a PostgreSQL address needs an empty database.

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
guard let target = args.first, !target.hasPrefix("--") else {
    FileHandle.standardError.write(Data("usage: FeatureBench FOLDER|postgresql://… [--rows N] [--batch N] [--repeat N]\n".utf8))
    exit(2)
}
let rowCount = option("--rows", 100_000)
let batchSize = option("--batch", 100)
let repeats = option("--repeat", 5)

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Rows with keys `ids`, four float features, a text class and a day (event time).
func rows(_ ids: Range<Int>, day: Int64) throws -> Frame {
    let n = ids.count
    var columns = [Column(name: "id", storage: .int(ids.map(Int64.init)))]
    for f in 0..<4 { columns.append(Column(name: "x\(f)", storage: .float(ids.map { Double(($0 * 7 + f * 13) % 1_000) / 10 }))) }
    columns.append(Column(name: "class", storage: .text(codes: ids.map { Int32($0 % 3) }, dictionary: ["a", "b", "c"])))
    columns.append(Column(name: "day", storage: .datetime(Array(repeating: day * 86_400_000_000, count: n), dateOnly: true)))
    return try Frame(columns: columns)
}

do {
    let environment = target.hasPrefix("postgres") ? ["PETAL_FEATURE_STORE": target] : [:]
    let store = try FeatureStores.open(folder: target, environment: environment, now: { Date().timeIntervalSince1970 })
    let fill = try seconds {
        _ = try store.createAndInsert("bench", frame: try rows(0..<rowCount, day: 20_000), dataset: "fill", primaryKey: ["id"],
                                      eventTime: "day", newVersion: false)
    }
    // Each batch: half keys the group has (new history), half new keys.
    var times: [Double] = []
    for r in 0..<repeats {
        let start = rowCount / 2 + r * batchSize
        let batch = try rows(start..<(start + batchSize), day: 20_001 + Int64(r))
        times.append(try seconds { _ = try store.insert("bench", frame: batch, dataset: "batch", newVersion: false) })
    }
    // What an insert still reads in full: the current rows (one per key), summarised for `describe`.
    let group = try store.group("bench")
    var current = Frame.empty
    let readCurrent = try seconds { current = try store.storage.currentRows(of: group) }
    let summarise = seconds { _ = GroupStatistics(current: current, historyRows: 0, updated: 0) }
    let sorted = times.sorted()
    let out: [String: Any] = ["rows": rowCount, "batch": batchSize, "fill_s": fill, "insert_median_s": sorted[sorted.count / 2],
                              "insert_min_s": sorted.first ?? 0, "insert_max_s": sorted.last ?? 0,
                              "current_rows_read_s": readCurrent, "statistics_s": summarise]
    let json = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
