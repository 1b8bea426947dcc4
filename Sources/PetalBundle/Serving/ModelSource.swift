/// Where a served model comes from, so the server can notice that it changed and load it again: a bundle
/// folder (its manifest), or a registry alias that may move to another version.
public protocol ModelSource: Sendable {
    /// Says where the model lives, for logs ("bundles/iris").
    var location: String { get }
    /// A cheap fingerprint of what is there now (e.g. a checksum of the manifest); nil while it cannot be read.
    func fingerprint() -> String?
    /// Loads and verifies the model; throws (naming the file) when it is incomplete or damaged.
    func load() throws -> any ServableModel
}
