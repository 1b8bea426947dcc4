import Foundation
import PetalData

/// Times Petal on the benchmark CSV: load, then explore (describe + value counts + 20-bin histograms of every
/// numeric column), the same work Benchmarks/load/peers.py times for pandas and polars. Prints one JSON object.
/// Usage: PetalBench CSV [--repeat N] [--mapped] [--load-only]
let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: PetalBench CSV [--repeat N]\n".utf8))
    exit(2)
}
if args[1] == "--demo" {
    do { try demoBenchmark() } catch { FileHandle.standardError.write(Data("error: \(error)\n".utf8)); exit(1) }
    exit(0)
}
if args[1] == "--decode", args.count > 2 {
    do { try decodeBenchmark(args[2]) } catch { FileHandle.standardError.write(Data("error: \(error)\n".utf8)); exit(1) }
    exit(0)
}
if args[1] == "--ml", args.count > 2 {
    do { try mlBenchmark(args[2]) } catch { FileHandle.standardError.write(Data("error: \(error)\n".utf8)); exit(1) }
    exit(0)
}
let path = args[1]
var repeats = 3
if let i = args.firstIndex(of: "--repeat"), i + 1 < args.count, let n = Int(args[i + 1]) { repeats = max(1, n) }
/// `--mapped`: load by memory-mapping the file (as before issue 12) instead of reading it, to compare the two.
let mapped = args.contains("--mapped")
/// `--load-only`: time the load alone (Benchmarks/load/whole.py's in-process figure; the explore pass is skipped).
let loadOnly = args.contains("--load-only")

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

do {
    var frame = Frame.empty
    var loadTimes: [Double] = []
    for _ in 0..<repeats {
        frame = .empty
        loadTimes.append(try seconds {
            if mapped {
                // The old way, for comparison only: the file memory-mapped (a file truncated meanwhile is a SIGBUS).
                let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
                frame = try data.withUnsafeBytes { try CSVReader.read(buffer: $0, file: path).0 }
            } else {
                frame = try Loaders.load(path: path).frame ?? .empty
            }
        })
    }
    var exploreTimes: [Double] = []
    var checksum = 0.0
    for _ in 0..<(loadOnly ? 0 : repeats) {
        exploreTimes.append(seconds {
            let summaries = Describe.compute(frame)
            checksum += summaries.compactMap(\.mean).reduce(0, +)
            for name in ["label", "city"] {
                if let c = frame.column(named: name) { checksum += Double(ValueCounts.compute(c).distinct) }
            }
            let numeric = frame.columns.filter { $0.type.isNumeric }
            let box = ConcurrentSlots<Int>(numeric.count)
            DispatchQueue.concurrentPerform(iterations: numeric.count) { k in
                if let values = numeric[k].doubles() {
                    box.set(k, Histogram.compute(values, bins: .count(20)).total)
                }
            }
            checksum += Double(box.values.reduce(0, +))
        })
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let frameBytes = frame.columns.reduce(0) { $0 + $1.storageBytes }
    let result: [String: Any] = [
        "load_s": loadTimes.min() ?? 0, "explore_s": exploreTimes.min() ?? 0,
        "frame_bytes": frameBytes, "peak_rss_bytes": Int(usage.ru_maxrss) * 1024,
        "rows": frame.rowCount, "columns": frame.columns.count, "checksum": checksum,
        "load_all_s": loadTimes, "explore_all_s": exploreTimes,
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
