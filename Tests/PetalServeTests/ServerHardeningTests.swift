import Foundation
import PetalBundle
@testable import PetalServe
import Testing

/// The server under malformed HTTP and slow clients, driven over raw sockets on 127.0.0.1: every refusal is a
/// 4xx that is counted in /metrics (never a 500 or an internal error), connections that must end do end, and
/// slow clients are disconnected.
/// Waits for an answer or a close are long (30 s) but end as soon as the connection closes, so a loaded machine
/// slows these tests down without failing them; a server that never closes fails them.
@Suite struct ServerHardeningTests {
    static func port(_ server: ModelServer) throws -> Int {
        try #require(Int(server.url.split(separator: ":").last ?? ""))
    }

    static let irisJSON = #"{"inputs": [[5.1,3.5,1.4,0.2]]}"#

    /// A POST /invocations head with `extra` header lines.
    static func head(_ extra: String) -> String {
        "POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\(extra)\r\n"
    }

    @Test func malformedFramingIsA400NotAnInternalError() async throws {
        try await withServer(Fixtures.iris) { server in
            let port = try Self.port(server)
            let body = Self.irisJSON
            let cases: [(String, String)] = [
                ("a chunk size that is not hex", Self.head("Transfer-Encoding: chunked\r\n") + "zz\r\n\(body)\r\n0\r\n\r\n"),
                ("a chunk size larger than any number", Self.head("Transfer-Encoding: chunked\r\n") + "fffffffffffffffffffffff\r\n\(body)\r\n0\r\n\r\n"),
                ("a negative chunk size", Self.head("Transfer-Encoding: chunked\r\n") + "-5\r\nhello\r\n0\r\n\r\n"),
                ("gzip transfer coding", Self.head("Transfer-Encoding: gzip\r\n") + body),
                ("gzip then chunked, with a bad chunk", Self.head("Transfer-Encoding: gzip, chunked\r\n") + "q\r\n"),
                ("two content lengths", Self.head("Content-Length: 5\r\nContent-Length: 7\r\n") + body),
                ("a request line that is not HTTP", "HELLO THERE\r\n\r\n"),
                ("a header without a colon", "GET /ping HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"),
            ]
            for (what, request) in cases {
                let socket = try RawSocket(port: port)
                socket.send(request)
                let (answer, closed) = await socket.waitUntilClosed(seconds: 30)
                let status = statusCode(answer)
                #expect((400..<500).contains(status), "\(what): \(answer)")
                #expect(closed, "\(what): the connection should end after a malformed request")
            }
            let metrics = try await HTTP.request(server.url + "/metrics").body
            #expect(!metrics.contains("INTERNAL_ERROR"), "\(metrics)")
            #expect(!metrics.contains("status=\"500\""), "\(metrics)")
            // Parser-level refusals are counted although no route saw them.
            let unparsed = metrics.split(separator: "\n").first { $0.hasPrefix("petal_requests_total{path=\"(unparsed)\",status=\"400\"}") }
            #expect(unparsed.flatMap { Int($0.split(separator: " ").last ?? "") }.map { $0 >= 2 } == true, "\(metrics)")
            // Every 4xx answer is counted somewhere: the sum of 4xx requests covers all the cases.
            let refused = metrics.split(separator: "\n").filter { $0.hasPrefix("petal_requests_total") && $0.contains("status=\"4") }
                .compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
            #expect(refused >= cases.count, "\(metrics)")
            #expect(try await HTTP.post(server, Self.irisJSON).status == 200)
        }
    }

    @Test func headAnswersTheProbes() async throws {
        try await withServer(Fixtures.iris, configure: { $0.token = "t" }) { server in
            for path in ["/ping", "/health"] {
                let r = try await HTTP.request(server.url + path, method: "HEAD")
                #expect(r.status == 200, "HEAD \(path)")
                #expect(r.body.isEmpty)
            }
        }
    }

    @Test func aBodyTooLargeEndsTheConnection() async throws {
        try await withServer(Fixtures.iris, configure: { $0.maxBodyBytes = 1024 }) { server in
            let socket = try RawSocket(port: try Self.port(server))
            // Announces 10 MB, sends a little, and keeps the connection open.
            socket.send(Self.head("Content-Length: 10485760\r\n") + String(repeating: "[", count: 100))
            let started = Date()
            let (answer, closed) = await socket.waitUntilClosed(seconds: 30)
            #expect(statusCode(answer) == 413, "\(answer)")
            #expect(answer.lowercased().contains("connection: close"))
            #expect(closed, "the server should close the connection after a 413 with Connection: close")
            #expect(Date().timeIntervalSince(started) < 25, "closed by the server, not by the test's time limit")
            // The same while the body streams in chunks.
            let chunked = try RawSocket(port: try Self.port(server))
            chunked.send(Self.head("Transfer-Encoding: chunked\r\n") + "800\r\n" + String(repeating: " ", count: 2048) + "\r\n")
            let (answer2, closed2) = await chunked.waitUntilClosed(seconds: 30)
            #expect(statusCode(answer2) == 413, "\(answer2)")
            #expect(closed2)
        }
    }

    @Test func slowClientsAreDisconnected() async throws {
        try await withServer(Fixtures.iris, configure: { $0.headerTimeout = .milliseconds(800); $0.bodyTimeout = .milliseconds(1500) }) { server in
            let port = try Self.port(server)
            // Headers that never finish.
            let slowHead = try RawSocket(port: port)
            slowHead.send("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let t0 = Date()
            #expect(await slowHead.waitUntilClosed(seconds: 30).closed, "a head that never ends must not hold the connection")
            #expect(Date().timeIntervalSince(t0) < 25, "closed by the server, not by the test's time limit")

            // A head sent one byte at a time, each within the idle time: the deadline is for the whole head.
            let trickle = try RawSocket(port: port)
            let request = "GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + String(repeating: "a", count: 40) + "\r\n\r\n"
            var cutOff = false
            let t1 = Date()
            for byte in request.utf8 {
                if !trickle.send([byte]) { cutOff = true; break }
                try await Task.sleep(for: .milliseconds(100))
                if Date().timeIntervalSince(t1) > 4 { break }
            }
            let rest = await trickle.waitUntilClosed(seconds: 30)
            #expect(cutOff || (rest.closed && statusCode(rest.text) == 0), "a trickled head was answered: \(rest.text)")

            // A body sent slowly: disconnected at the body deadline although bytes keep coming.
            let slowBody = try RawSocket(port: port)
            slowBody.send(Self.head("Content-Length: 200\r\n") + "{")
            let t2 = Date()
            var bodyCut = false
            while Date().timeIntervalSince(t2) < 5 {
                if !slowBody.send(" ") { bodyCut = true; break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let tail = await slowBody.waitUntilClosed(seconds: 30)
            #expect(bodyCut || tail.closed, "a trickled body must not hold the connection")

            // An idle keep-alive connection is closed after the header timeout, once its answer is written.
            let keepAlive = try RawSocket(port: port)
            keepAlive.send("GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(statusCode(await keepAlive.waitForResponse(seconds: 30)) == 200)
            #expect(await keepAlive.waitUntilClosed(seconds: 30).closed)

            // Requests at a normal pace still work, and the closes are counted.
            #expect(try await HTTP.post(server, Self.irisJSON).status == 200)
            let metrics = try await HTTP.request(server.url + "/metrics").body
            #expect(metrics.contains("petal_connections_closed_total{reason=\"header_timeout\"}"))
            #expect(!metrics.contains("petal_connections_closed_total{reason=\"header_timeout\"} 0"), "\(metrics)")
            #expect(!metrics.contains("petal_connections_closed_total{reason=\"body_timeout\"} 0"), "\(metrics)")
        }
    }

    @Test func aByteOrderMarkIsAccepted() async throws {
        try await withServer(Fixtures.iris) { server in
            let json = try await HTTP.post(server, "\u{FEFF}" + Self.irisJSON)
            #expect(json.status == 200, "\(json.body)")
            let csv = try await HTTP.post(server, "\u{FEFF}sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n", contentType: "text/csv")
            #expect(csv.status == 200, "\(csv.body)")
            // Only at the start: a BOM elsewhere is still malformed.
            #expect(try await HTTP.post(server, "{\"inputs\": \u{FEFF}[[5.1,3.5,1.4,0.2]]}").status == 400)
        }
    }

    @Test func aPortInUseSaysSo() async throws {
        try await withServer(Fixtures.iris) { server in
            var options = ServeOptions()
            options.port = try Self.port(server)
            let second = try ModelServer(model: Fixtures.iris, options: options)
            let error = await #expect(throws: ServerStartError.self) { try await second.start() }
            #expect(error?.portInUse == true)
            #expect(error?.description == "port \(options.port) is in use; pick another with port=N (0 picks a free one)")
            #expect(try await HTTP.request(server.url + "/ping").status == 200)
        }
    }
}
