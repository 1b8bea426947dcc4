import Foundation

/// The repository's root for tests, computed once from this file's place (`Tests/PetalTestSupport/`), so that
/// test files name samples, fixtures and build products by their path in the repository
/// (`RepoPaths.path("samples/iris.csv")`) instead of each counting `#filePath`'s folders.
public enum RepoPaths {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `relative` (e.g. `samples/iris.csv`, `Tests/Fixtures/sklearn/x.json`) under the root.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// `relative` under the root, as a path.
    public static func path(_ relative: String) -> String { url(relative).path }
}
