import Foundation
import Testing
@testable import PetalData

/// `open http(s)://…`: a local server on 127.0.0.1 serves a file, a redirect, a 404, an extensionless JSON
/// answer, a database and a response that stalls (cancelled).
@Suite(.serialized) struct URLSourceTests {
    static let csv = "sepal_length,species\n5.1,setosa\n4.9,setosa\n6.3,virginica\n"

    func server(extra: [String: LocalHTTPServer.Response] = [:]) throws -> LocalHTTPServer {
        var routes: [String: LocalHTTPServer.Response] = [
            "/iris.csv": .init(headers: [("Content-Type", "text/csv")], body: Array(Self.csv.utf8)),
            "/old/iris.csv": .init(status: 302, headers: [("Location", "/iris.csv")]),
            "/loop": .init(status: 302, headers: [("Location", "/loop")]),
            "/api/rows": .init(headers: [("Content-Type", "application/json; charset=utf-8")],
                               body: Array(#"[{"a": 1, "b": "x"}, {"a": 2, "b": null}]"#.utf8)),
            "/broken.json": .init(headers: [("Content-Type", "application/json")], body: Array(#"[{"a": 1}, {"a": }]"#.utf8)),
            "/private.csv": .init(status: 403, body: Array("no".utf8)),
            "/error.csv": .init(status: 500, body: Array("oops".utf8)),
            "/slow.csv": .init(headers: [("Content-Type", "text/csv"), ("Content-Length", "10000000")],
                               body: Array(("x,y\n" + String(repeating: "1,2\n", count: 2000)).utf8), stallAfter: 4000),
            "/short.csv": .init(headers: [("Content-Length", "1000")], body: Array("x,y\n1,2\n".utf8)),
        ]
        routes.merge(extra) { $1 }
        return try LocalHTTPServer(routes: routes)
    }

    func error(_ body: () throws -> Any) -> PetalError? {
        do { _ = try body(); return nil } catch let e as PetalError { return e } catch { return PetalError("\(error)") }
    }

    @Test func readsACSVWithProgress() throws {
        let s = try server()
        defer { s.stop() }
        var options = LoadOptions()
        let control = LoadControl()
        options.csv.control = control
        let frame = try #require(try URLSource.load(s.url("/iris.csv"), options: options).frame)
        #expect(frame.rowCount == 3)
        #expect(frame.columnNames == ["sepal_length", "species"])
        #expect(try frame.requireColumn("sepal_length").type == .float)
        // The same bytes as a local file give the same data.
        let dir = TempDir()
        let local = try #require(try Loaders.load(path: dir.file("iris.csv", Self.csv)).frame)
        #expect((0..<3).map { frame.columns[1][$0] } == (0..<3).map { local.columns[1][$0] })
    }

    @Test func followsRedirects() throws {
        let s = try server()
        defer { s.stop() }
        let frame = try #require(try URLSource.load(s.url("/old/iris.csv"), options: LoadOptions()).frame)
        #expect(frame.rowCount == 3)
        #expect(s.requested == ["/old/iris.csv", "/iris.csv"])
        let loop = try #require(error { try URLSource.load(s.url("/loop"), options: LoadOptions()) })
        #expect(loop.message.contains("redirect"), "\(loop)")
    }

    @Test func contentTypeChoosesTheReaderWithoutAnExtension() throws {
        let s = try server()
        defer { s.stop() }
        let frame = try #require(try URLSource.load(s.url("/api/rows"), options: LoadOptions()).frame)
        #expect(frame.columnNames == ["a", "b"])
        #expect(try frame.requireColumn("b").nullCount == 1)
    }

    @Test func httpErrorsNameTheStatusAndTheURL() throws {
        let s = try server()
        defer { s.stop() }
        for (path, status, hint) in [("/missing.csv", 404, "not (or no longer) there"), ("/private.csv", 403, "private"),
                                     ("/error.csv", 500, "try again later")] {
            let e = try #require(error { try URLSource.load(s.url(path), options: LoadOptions()) })
            #expect(e.message.contains("HTTP \(status)"), "\(e)")
            #expect(e.location?.file == s.url(path))
            #expect(e.hint?.contains(hint) == true, "\(e)")
        }
    }

    @Test func dataErrorsNameTheURLNotATemporaryFile() throws {
        let s = try server()
        defer { s.stop() }
        let e = try #require(error { try URLSource.load(s.url("/broken.json"), options: LoadOptions()) })
        #expect(e.location?.file == s.url("/broken.json"), "\(e)")
        #expect(!e.description.contains("petal-download"), "\(e)")
    }

    @Test func cancellingAStalledDownloadStopsPromptly() throws {
        let s = try server()
        defer { s.stop() }
        var options = LoadOptions()
        let control = LoadControl()
        options.csv.control = control
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { control.cancel() }
        let started = Date()
        let e = try #require(error { try URLSource.load(s.url("/slow.csv"), options: options) })
        #expect(e.message.hasPrefix("cancelled"), "\(e)")
        #expect(Date().timeIntervalSince(started) < 5)
        // Progress was counted against the announced length before the cancel.
        #expect(control.progress.total == 10_000_000)
        #expect(control.progress.done >= 4000)
    }

    @Test func aTruncatedDownloadIsAnError() throws {
        let s = try server()
        defer { s.stop() }
        let e = try #require(error { try URLSource.load(s.url("/short.csv"), options: LoadOptions()) })
        #expect(e.location?.file == s.url("/short.csv"), "\(e)")
    }

    @Test func nothingListeningIsAClearError() throws {
        let s = try server()
        let url = s.url("/iris.csv")
        s.stop()
        let e = try #require(error { try URLSource.load(url, options: LoadOptions()) })
        #expect(e.message.contains("nothing answers") || e.message.contains("failed"), "\(e)")
        #expect(e.location?.file == url)
    }

    @Test func aSQLiteDatabaseOverHTTP() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Repo.path("samples/linnerud.db"))))
        let s = try server(extra: ["/linnerud.db": .init(headers: [("Content-Type", "application/octet-stream")], body: bytes)])
        defer { s.stop() }
        var options = LoadOptions()
        options.table = "exercise"
        let frame = try #require(try URLSource.load(s.url("/linnerud.db"), options: options).frame)
        #expect(frame.rowCount == 20)
        let listing = try URLSource.load(s.url("/linnerud.db"), options: LoadOptions())
        #expect(listing.tables.map(\.name) == ["exercise", "physiological"])
    }

    @Test func passwordsAreRemovedFromAddresses() {
        #expect(SourceAddress.redacted("open postgresql://student:s3cret@db.example:5432/course table=t")
                == "open postgresql://student@db.example:5432/course table=t")
        #expect(SourceAddress.redacted("open https://u:p@ss@host/x.csv as x") == "open https://u@host/x.csv as x")
        #expect(SourceAddress.redacted("open postgresql://h/db?password=x&sslmode=require") == "open postgresql://h/db?sslmode=require")
        #expect(SourceAddress.redacted("open postgresql://h/db?sslmode=require&password=x") == "open postgresql://h/db?sslmode=require")
        #expect(SourceAddress.redacted("open postgresql://h/db?password=x") == "open postgresql://h/db")
        #expect(SourceAddress.redacted("open http://host:8080/a.csv") == "open http://host:8080/a.csv")
        #expect(SourceAddress.redacted("filter iris species == \"a:b@c\"") == "filter iris species == \"a:b@c\"")
    }

    @Test func tlsCertificatesAreVerified() throws {
        // A self-signed certificate must be refused. Needs the openssl command line tool (skips otherwise).
        guard let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("skipped: no openssl to serve a self-signed certificate"); return
        }
        let dir = TempDir()
        let key = dir.url.appendingPathComponent("key.pem").path, cert = dir.url.appendingPathComponent("cert.pem").path
        let make = Process()
        make.executableURL = URL(fileURLWithPath: openssl)
        make.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"]
        make.standardOutput = FileHandle.nullDevice
        make.standardError = FileHandle.nullDevice
        try make.run()
        make.waitUntilExit()
        let port = 20_000 + Int.random(in: 0..<20_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: openssl)
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key, "-www", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: the child may inherit a mask that blocks SIGTERM from the test runner.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        Thread.sleep(forTimeInterval: 0.7)
        let e = try #require(error { try URLSource.load("https://127.0.0.1:\(port)/iris.csv", options: LoadOptions()) })
        #expect(e.message.contains("certificate") || e.message.contains("TLS") || e.message.contains("SSL"), "\(e)")
    }
}
