// swift-tools-version: 6.0
import PackageDescription

/// Petal: a terminal ML workbench. Module layout follows ../shared/DESIGN.md and docs/ARCHITECTURE.md.
let package = Package(
    name: "Petal",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "petal", targets: ["petal"]),
        .library(name: "PetalData", targets: ["PetalData"]),
        .library(name: "PetalML", targets: ["PetalML"]),
        .library(name: "PetalSession", targets: ["PetalSession"]),
        .library(name: "PetalTUI", targets: ["PetalTUI"]),
        .library(name: "PetalBundle", targets: ["PetalBundle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // PetalServe's HTTP server (mirrored 2.28.1).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        // Already in Hummingbird's graph; named for PetalServe's file logger and its stoppable service group.
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        // SHA-256 (PetalData) and Ed25519 for signed bundles (PetalBundle); mirrored 3.12.3 and 4.5.2.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // System libraries (Debian: libsqlite3-dev, libreadline-dev).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CReadline", providers: [.apt(["libreadline-dev"])]),
        // No pkgConfig for ncursesw: its .pc flags are ones SwiftPM prohibits (see ../shared/notes/swift-stack.md).
        .systemLibrary(name: "CNCursesW", providers: [.apt(["libncurses-dev"])]),
        // Parquet's page codecs: snappy, gzip (zlib) and zstd (Debian: libsnappy-dev, zlib1g-dev, libzstd-dev).
        .systemLibrary(name: "CCompression", providers: [.apt(["libsnappy-dev", "zlib1g-dev", "libzstd-dev"])]),
        // libpq, PostgreSQL's client library (Debian: libpq-dev); chosen over postgres-nio, see docs/ARCHITECTURE.md.
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // Engine.
        // The CSV reader's inner loops touch class-held arrays per cell; dynamic exclusivity checks cost ~10% there.
        // swift-crypto gives SHA-256 (fingerprints, manifests) and Ed25519 (PetalBundle's signing): one implementation.
        .target(name: "PetalData", dependencies: ["CSQLite", "CCompression", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Dense kernels in C with an AVX2 + FMA version chosen at run time (the Swift code builds for baseline x86-64).
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "PetalML", dependencies: ["PetalData", "CKernels"]),
        // Not PetalServe: `serve` starts a server through `ServerLauncher` (PetalBundle/Serving), which the executable
        // injects, so NIO and Hummingbird are off the build's critical path for the session and everything above it.
        .target(name: "PetalSession", dependencies: ["PetalData", "PetalML", "PetalTracking", "PetalBundle", "PetalFeatures", "PetalPostgres"]),

        // PostgreSQL tables and queries as data sets (`open postgresql://…`), through libpq.
        .target(name: "PetalPostgres", dependencies: ["PetalData", "CLibPQ"]),

        // Experiment tracking and the model registry (issue 5): one SQLite file under .petal/.
        .target(name: "PetalTracking", dependencies: ["PetalData", "CSQLite"]),

        // The feature store (issue 20): feature groups, validation, point-in-time views and job schedules, over a small
        // storage protocol with an SQLite backend (features.db beside the tracking store) and a PostgreSQL one (a shared store,
        // through PetalPostgres's libpq connection).
        .target(name: "PetalFeatures", dependencies: ["PetalData", "CSQLite", "PetalPostgres"]),

        // The full-screen workbench as pure state: views and widgets drawn into a text grid, key handling.
        // Tracking reaches it only through the session (`Session.recentRuns(limit:)`, `RunTable`), as plain values.
        .target(name: "PetalTUI", dependencies: ["PetalData", "PetalSession"]),

        // The serving bundle: manifest, model as data, ONNX writer, MLmodel; loading and checking.
        .target(name: "PetalBundle", dependencies: ["PetalData", "PetalML", .product(name: "Crypto", package: "swift-crypto")]),

        // The HTTP server for a model (MLflow's /invocations protocol); see docs/ARCHITECTURE.md.
        .target(
            name: "PetalServe",
            dependencies: [
                "PetalData", "PetalML", "PetalBundle",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // The only code that touches the terminal.
        .target(name: "PetalTerminal", dependencies: ["PetalSession", "PetalTUI", "PetalPostgres", "CReadline", "CNCursesW"]),

        // The executable: arguments and wiring.
        .executableTarget(
            name: "petal",
            dependencies: [
                "PetalData", "PetalSession", "PetalTerminal", "PetalBundle", "PetalServe", "PetalTracking",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Benchmarks (see Benchmarks/README.md); built in release by Benchmarks/run.
        .executableTarget(name: "PetalBench", dependencies: ["PetalData", "PetalML", "PetalSession", "PetalTUI", "PetalServe"], path: "Benchmarks/PetalBench"),
        .executableTarget(name: "TrackingBench", dependencies: ["PetalTracking", "PetalData"], path: "Benchmarks/TrackingBench"),
        .executableTarget(name: "FeatureBench", dependencies: ["PetalFeatures", "PetalData"], path: "Benchmarks/FeatureBench"),

        // What the test targets share: the repository's root (RepoPaths, the one `#filePath` computation) and a real
        // PostgreSQL server started in a temporary folder (PostgresServer).
        .target(name: "PetalTestSupport", path: "Tests/PetalTestSupport"),

        // Fuzzing (issue 12): a seeded random-mutation driver over every parser that takes outside input; see Fuzz/README.md.
        .executableTarget(name: "PetalFuzz", dependencies: ["PetalData", "PetalML", "PetalSession", "PetalTracking", "PetalServe", "PetalBundle"],
                          path: "Fuzz/PetalFuzz"),

        .testTarget(name: "PetalDataTests", dependencies: ["PetalTestSupport", "PetalData"], resources: []),
        .testTarget(name: "PetalMLTests", dependencies: ["PetalTestSupport", "PetalML", "PetalData"]),
        .testTarget(name: "PetalBundleTests", dependencies: ["PetalTestSupport", "PetalBundle", "PetalML", "PetalData"]),
        .testTarget(name: "PetalSessionTests", dependencies: ["PetalTestSupport", "PetalSession", "PetalData", "PetalServe"]),
        .testTarget(name: "PetalTUITests", dependencies: ["PetalTestSupport", "PetalTUI", "PetalSession", "PetalData"]),
        .testTarget(name: "PetalServeTests", dependencies: ["PetalTestSupport", "PetalServe", "PetalBundle", "PetalML", "PetalData"]),
        .testTarget(name: "PetalEndToEndTests", dependencies: ["PetalTestSupport", "petal"]),
        .testTarget(name: "PetalTrackingTests", dependencies: ["PetalTestSupport", "PetalTracking", "PetalData"]),
        .testTarget(name: "PetalFeaturesTests", dependencies: ["PetalTestSupport", "PetalFeatures", "PetalData"]),
        .testTarget(name: "PetalPostgresTests", dependencies: ["PetalTestSupport", "PetalPostgres", "PetalData", "PetalSession"]),
    ]
)
