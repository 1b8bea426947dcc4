import Foundation
import PetalData

/// `PetalBench --probe CSV`: load timings with 1 and 2 threads, for profiling the reader.
func probe(_ path: String) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    for threads in [1, 2] {
        var o = CSVOptions()
        o.threads = threads
        var best = Double.infinity
        for _ in 0..<3 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try data.withUnsafeBytes { try CSVReader.read(buffer: $0, file: path, options: o) }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        print("threads=\(threads): \(best) s")
    }
}
