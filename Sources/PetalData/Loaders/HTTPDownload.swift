import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads an http(s) URL into a file, streaming: bytes go to disk as they arrive (never all in memory), the
/// progress goes to a `LoadControl`, and cancelling the control stops the transfer at once.
///
/// Foundation's URLSession (libcurl underneath on Linux) does the HTTP: redirects are followed, TLS certificates
/// are verified against the system's trust store, and proxies come from the usual environment variables. No Swift
/// package is needed for it (see docs/ARCHITECTURE.md, "Data from URLs and databases").
public enum HTTPDownload {
    /// What a finished download produced.
    public struct Result: Sendable {
        /// The URL the data finally came from (after redirects).
        public var finalURL: URL
        /// The response's `Content-Type` media type, lowercased and without parameters (`text/csv`).
        public var mediaType: String?
        /// Bytes written.
        public var bytes: Int
    }

    /// Fetches `url` into `file` (created or replaced).
    /// - Parameters:
    ///   - shown: the URL as messages show it (passwords redacted).
    ///   - idleTimeout: how long the server may send nothing before the download fails.
    /// - Throws: `PetalError` naming the URL: an HTTP status of 400 or more, a network or TLS failure, a full disk,
    ///   or "cancelled" when `control` is cancelled.
    public static func fetch(_ url: URL, shown: String, to file: String, control: LoadControl?,
                             idleTimeout: TimeInterval = 60) throws -> Result {
        guard FileManager.default.createFile(atPath: file, contents: nil), let handle = FileHandle(forWritingAtPath: file) else {
            throw PetalError("cannot create a temporary file for the download", at: SourceLocation(file: file),
                            hint: "check that the temporary folder (TMPDIR) exists and has space")
        }
        defer { try? handle.close() }
        let delegate = DownloadDelegate(handle: handle, control: control, shown: shown)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = idleTimeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        var request = URLRequest(url: url)
        request.setValue("petal", forHTTPHeaderField: "User-Agent")
        let task = session.dataTask(with: request)
        task.resume()
        // Wait in short steps so Ctrl-C (a cancelled control) stops the transfer promptly.
        while delegate.finished.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if control?.isCancelled == true {
                task.cancel()
                _ = delegate.finished.wait(timeout: .now() + .seconds(2))
                throw PetalError("cancelled: the download of \(shown) was stopped", at: SourceLocation(file: shown))
            }
        }
        return try delegate.outcome(url: url)
    }

    /// A `PetalError` for a failed transfer, saying what happened in words and what to do.
    public static func networkError(_ error: Error, shown: String) -> PetalError {
        let at = SourceLocation(file: shown)
        let ns = error as NSError
        guard ns.domain == NSURLErrorDomain else {
            return PetalError("the download failed: \(ns.localizedDescription)", at: at)
        }
        switch ns.code {
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed:
            return PetalError("no such host: the name in the address does not resolve", at: at,
                             hint: "check the spelling of the host, and that this machine is online")
        case NSURLErrorCannotConnectToHost:
            return PetalError("nothing answers at this address (connection refused)", at: at,
                             hint: "check the host and port; is the server running?")
        case NSURLErrorTimedOut:
            return PetalError("the server stopped answering (timed out)", at: at, hint: "try again later, or check the address")
        case NSURLErrorNotConnectedToInternet, NSURLErrorNetworkConnectionLost:
            return PetalError("the network connection was lost during the download", at: at, hint: "check the connection and open it again")
        case NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate, NSURLErrorServerCertificateHasUnknownRoot,
             NSURLErrorServerCertificateNotYetValid, NSURLErrorClientCertificateRejected, NSURLErrorSecureConnectionFailed:
            return PetalError("the server's TLS certificate could not be verified, so nothing was downloaded", at: at,
                             hint: "the server's certificate is self-signed, expired or for another name; use a trusted https address")
        case NSURLErrorHTTPTooManyRedirects:
            return PetalError("the server redirected too many times", at: at, hint: "the address loops; open it in a browser to see where it leads")
        case NSURLErrorUnsupportedURL, NSURLErrorBadURL:
            return PetalError("this address cannot be downloaded", at: at, hint: "Petal opens http:// and https:// addresses")
        default:
            return PetalError("the download failed: \(ns.localizedDescription) (error \(ns.code))", at: at)
        }
    }

    /// The message for an HTTP status of 400 or more.
    static func statusError(_ status: Int, shown: String) -> PetalError {
        let reason = HTTPURLResponse.localizedString(forStatusCode: status)
        let hint: String
        switch status {
        case 401, 403: hint = "the server refuses access: the file may be private or need a login"
        case 404, 410: hint = "check the address; the file is not (or no longer) there"
        case 500...: hint = "the server failed; try again later"
        default: hint = "check the address"
        }
        return PetalError("the server answered HTTP \(status) (\(reason))", at: SourceLocation(file: shown), hint: hint)
    }
}

/// Receives a transfer: checks the status, appends the bytes to the file and counts them.
private final class DownloadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private let handle: FileHandle
    private let control: LoadControl?
    private let shown: String
    private var failure: PetalError?
    private var transferError: Error?
    private var response: HTTPURLResponse?
    private var written = 0

    init(handle: FileHandle, control: LoadControl?, shown: String) {
        self.handle = handle; self.control = control; self.shown = shown
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let http = response as? HTTPURLResponse
        lock.withLock { self.response = http }
        if let status = http?.statusCode, status >= 400 {
            lock.withLock { failure = HTTPDownload.statusError(status, shown: shown) }
            completionHandler(.cancel)
            return
        }
        control?.setTotal(response.expectedContentLength > 0 ? Int(response.expectedContentLength) : 0)
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do {
            try handle.write(contentsOf: data)
            lock.withLock { written += data.count }
            control?.advance(by: data.count)
        } catch {
            lock.withLock {
                if failure == nil {
                    failure = PetalError("the download could not be written to a temporary file: \(error.localizedDescription)",
                                        at: SourceLocation(file: shown), hint: "free some disk space (or set TMPDIR to a larger disk)")
                }
            }
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        lock.withLock { transferError = error }
        finished.signal()
    }

    /// The result, or the first failure seen.
    func outcome(url: URL) throws -> HTTPDownload.Result {
        try lock.withLock {
            if let failure { throw failure }
            if let transferError { throw HTTPDownload.networkError(transferError, shown: shown) }
            let expected = response?.expectedContentLength ?? -1
            if expected > 0 && Int64(written) < expected {
                throw PetalError("the download ended early: \(written) of \(expected) bytes arrived", at: SourceLocation(file: shown),
                                hint: "the connection was cut; open it again")
            }
            let type = response?.value(forHTTPHeaderField: "Content-Type")?
                .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            return HTTPDownload.Result(finalURL: response?.url ?? url, mediaType: type, bytes: written)
        }
    }
}
