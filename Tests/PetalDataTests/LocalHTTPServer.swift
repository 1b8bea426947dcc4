import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for the download tests: each path answers with a fixed response, which
/// may stall after its first bytes (to test cancelling). One thread accepts; each connection gets its own.
final class LocalHTTPServer: @unchecked Sendable {
    struct Response: Sendable {
        var status = 200
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        /// Send only this many body bytes, then hang (keeping the connection open) until the server stops.
        var stallAfter: Int?
    }

    let port: Int
    private let listener: Int32
    private let routes: [String: Response]
    private let lock = NSLock()
    private var stopped = false
    private var connections: [Int32] = []
    /// The paths requested, in order.
    private(set) var requested: [String] = []

    init(routes: [String: Response]) throws {
        self.routes = routes
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket() failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw ServerError("bind/listen failed") }
        var got = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &got) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        listener = fd
        port = Int(UInt16(bigEndian: got.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Closes the listener and every open connection.
    func stop() {
        let already: Bool = lock.withLock {
            defer { stopped = true }
            if !stopped { for c in connections { shutdown(c, Int32(SHUT_RDWR)) } }
            return stopped
        }
        if already { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if lock.withLock({ stopped }) { return }
                if errno == EINTR { continue }
                return
            }
            lock.withLock { connections.append(fd) }
            let t = Thread { [self] in serve(fd) }
            t.start()
        }
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { return }
            head += buffer[0..<n]
        }
        let requestLine = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
        let parts = requestLine.split(separator: " ")
        let path = parts.count > 1 ? String(parts[1]) : "/"
        lock.withLock { requested.append(path) }
        let response = routes[path] ?? Response(status: 404, body: Array("not found".utf8))
        var text = "HTTP/1.1 \(response.status) \(HTTPURLResponse.localizedString(forStatusCode: response.status))\r\n"
        var headers = response.headers
        if !headers.contains(where: { $0.0.lowercased() == "content-length" }) {
            headers.append(("Content-Length", String(response.body.count)))
        }
        headers.append(("Connection", "close"))
        for (k, v) in headers { text += "\(k): \(v)\r\n" }
        text += "\r\n"
        send(fd, Array(text.utf8))
        if let stall = response.stallAfter {
            send(fd, Array(response.body.prefix(stall)))
            // Hang until the client goes away or the server stops.
            while !lock.withLock({ stopped }) {
                var probe: UInt8 = 0
                let n = recv(fd, &probe, 1, Int32(MSG_DONTWAIT))
                if n == 0 { return }
                usleep(20_000)
            }
            return
        }
        send(fd, response.body)
    }

    private func send(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            sent += n
        }
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
