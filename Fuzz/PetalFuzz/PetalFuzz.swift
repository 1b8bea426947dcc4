import Foundation

/// A random-mutation fuzzer for every parser that takes outside input (see Fuzz/README.md).
///
///     PetalFuzz [--seconds N] [--seed S] [--corpus DIR] [--crashes DIR] [TARGET…]   fuzz each target N seconds
///     PetalFuzz --replay FILE TARGET                                                 run one input
///     PetalFuzz --list                                                               the targets
///
/// Each iteration takes a seed input of the target's corpus (Fuzz/corpus/TARGET/), mutates it and runs it. Errors
/// thrown for bad input are expected; a crash, a trap or an input that runs longer than 10 s stops the run with
/// the input saved under the crashes folder (exit status 2, or 3 for a hang). Same seed, same inputs.
#if !LIBFUZZER
@main
struct PetalFuzzMain {
    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        func value(_ flag: String) -> String? {
            guard let i = args.firstIndex(of: flag), i + 1 < args.count else { return nil }
            defer { args.removeSubrange(i...(i + 1)) }
            return args[i + 1]
        }
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path
        let seconds = Double(value("--seconds") ?? "10") ?? 10
        let seed = UInt64(value("--seed") ?? "") ?? UInt64(Date().timeIntervalSince1970)
        let corpus = value("--corpus") ?? here + "/corpus"
        let crashes = value("--crashes") ?? here + "/crashes"
        let replay = value("--replay")
        let list = args.contains("--list")
        args.removeAll { $0 == "--list" }
        let fixtures: FuzzFixtures
        do { fixtures = try FuzzFixtures(corpus: corpus) } catch {
            FileHandle.standardError.write(Data("PetalFuzz: cannot set up: \(error)\n".utf8))
            exit(1)
        }
        let targets = FuzzTargets.all(fixtures)
        if list { print(targets.map(\.name).joined(separator: "\n")); return }
        let chosen = args.isEmpty ? targets : targets.filter { args.contains($0.name) }
        guard args.allSatisfy({ name in targets.contains { $0.name == name } }), !chosen.isEmpty else {
            FileHandle.standardError.write(Data("PetalFuzz: targets are \(targets.map(\.name).joined(separator: ", "))\n".utf8))
            exit(1)
        }
        if let replay {
            guard let bytes = FileManager.default.contents(atPath: replay).map({ [UInt8]($0) }), let target = chosen.first else { exit(1) }
            do { try target.run(bytes); print("ran without error") } catch { print("error (expected for bad input): \(error)") }
            return
        }
        try? FileManager.default.createDirectory(atPath: crashes, withIntermediateDirectories: true)
        var failed = false
        for target in chosen {
            let stats = fuzz(target, seconds: seconds, seed: seed, corpus: corpus + "/" + target.name, crashes: crashes)
            print("\(target.name): \(stats.runs) inputs in \(String(format: "%.1f", stats.elapsed)) s (seed \(seed)), \(stats.seeds) seeds, \(stats.errors) refused with an error")
            if stats.seeds == 0 { failed = true; print("\(target.name): no seed corpus in \(corpus)/\(target.name)") }
        }
        if failed { exit(1) }
    }

    struct Stats { var runs = 0; var errors = 0; var seeds = 0; var elapsed = 0.0 }

    static func fuzz(_ target: FuzzTarget, seconds: Double, seed: UInt64, corpus: String, crashes: String) -> Stats {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).sorted()
        let seeds = files.compactMap { FileManager.default.contents(atPath: corpus + "/" + $0).map { [UInt8]($0) } }
        var stats = Stats(seeds: seeds.count)
        guard !seeds.isEmpty else { return stats }
        let stamp = "\(target.name)-\(seed)"
        CrashCapture.install(crashFile: crashes + "/crash-" + stamp, timeoutFile: crashes + "/timeout-" + stamp)
        var mutator = Mutator(random: SplitMix(state: seed &+ target.name.utf8.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) }),
                              dictionary: target.dictionary.map { Array($0.utf8) }, maxLength: 1 << 18)
        let started = Date()
        var k = 0
        while true {
            // The seeds themselves first, then mutants.
            let input = k < seeds.count ? seeds[k]
                : mutator.mutate(seeds[mutator.random.below(seeds.count)], other: seeds[mutator.random.below(seeds.count)])
            k += 1
            CrashCapture.set(input)
            alarm(10)
            do { try target.run(input) } catch { stats.errors += 1 }
            alarm(0)
            stats.runs += 1
            if stats.runs % 64 == 0 && Date().timeIntervalSince(started) >= seconds { break }
        }
        stats.elapsed = Date().timeIntervalSince(started)
        return stats
    }
}
#endif
