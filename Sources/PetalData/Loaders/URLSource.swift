import Foundation

/// `open https://…` (and http): downloads the data to a temporary file with `HTTPDownload`, then loads it with
/// the registered loader that fits — `format=` first, then the URL path's extension, then the response's
/// Content-Type, then the content itself (as for a file). Errors and warnings name the URL, not the temporary file.
public enum URLSource {
    /// Loads the data at `address`, an http:// or https:// URL.
    /// - Throws: `PetalError` naming the URL (passwords redacted): a malformed address, an HTTP error with its status,
    ///   a network or TLS failure, "cancelled", or what the loader found wrong in the data.
    public static func load(_ address: String, options: LoadOptions) throws -> LoadResult {
        let shown = SourceAddress.redacted(address)
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw PetalError("this is not a web address Petal can download", at: SourceLocation(file: shown),
                            hint: "write it as https://host/path/file.csv (spaces as %20)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("petal-download-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw PetalError("cannot create a temporary folder for the download: \(error.localizedDescription)",
                            hint: "check that the temporary folder (TMPDIR) exists and is writable")
        }
        defer { try? FileManager.default.removeItem(at: folder) }
        let download = folder.appendingPathComponent("download").path
        let result = try HTTPDownload.fetch(url, shown: shown, to: download, control: options.csv.control)
        // The file keeps the URL's name, so the loaders' extension rules (and the preview) apply as for a local file.
        let name = localName(for: result.finalURL, original: url)
        let file = folder.appendingPathComponent(name).path
        do { try FileManager.default.moveItem(atPath: download, toPath: file) } catch {
            throw PetalError("cannot rename the downloaded file: \(error.localizedDescription)", at: SourceLocation(file: shown))
        }
        var options = options
        // The response's media type, when the name says nothing: each loader declares the types it reads.
        if options.format == nil, !hasKnownExtension(name), let type = result.mediaType,
           let loader = Loaders.all.first(where: { $0.mediaTypes.contains(type) }) {
            options.format = loader.formatName
        }
        do {
            var loaded = try Loaders.load(path: file, options: options)
            loaded.warnings = loaded.warnings.map { relabel($0, file: file, as: shown) }
            return loaded
        } catch let error as PetalError {
            throw relabel(error, file: file, as: shown)
        }
    }

    /// A safe local file name from the URL's last path part (the redirect target's, when it has an extension).
    static func localName(for final: URL, original: URL) -> String {
        let candidates = [SourceAddress.fileName(final), SourceAddress.fileName(original)]
        let chosen = candidates.first { !($0 as NSString).pathExtension.isEmpty } ?? candidates.first { !$0.isEmpty } ?? "data"
        let safe = String(chosen.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" ? $0 : "_" }.prefix(100))
        return safe.isEmpty || safe.hasPrefix(".") ? "data" + safe : safe
    }

    static func hasKnownExtension(_ name: String) -> Bool {
        let ext = (name as NSString).pathExtension.lowercased()
        return !ext.isEmpty && Loaders.all.contains { $0.fileExtensions.contains(ext) }
    }

    /// The error with the temporary file's path replaced by the URL, in its location and its words.
    static func relabel(_ error: PetalError, file: String, as shown: String) -> PetalError {
        var e = error
        if e.location?.file == file { e.location?.file = shown }
        e.message = e.message.replacingOccurrences(of: file, with: shown)
        e.hint = e.hint?.replacingOccurrences(of: file, with: shown)
        return e
    }

    static func relabel(_ warning: DataWarning, file: String, as shown: String) -> DataWarning {
        var w = warning
        if w.location?.file == file { w.location?.file = shown }
        w.message = w.message.replacingOccurrences(of: file, with: shown)
        return w
    }
}
