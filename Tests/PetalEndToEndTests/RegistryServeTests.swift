import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `petal serve NAME@alias`: a registered model served from its version's bundle; moving the alias swaps the
/// served version under a looping client without a failed request (the course's "deploy a new version, roll
/// back without downtime").
@Suite(.serialized) struct RegistryServeTests {
    @Test func movingTheAliasSwapsTheServedVersion() async throws {
        let home = Petal.freshFolder("registry-serve")
        let env = ["PETAL_HOME": home.path]
        let setup = try Petal.run(["exec", """
            open samples/iris.csv; pipeline a = standard_scaler | logistic_regression; fit a on iris target=variety
            register a as flowers; pipeline b = knn k=5; fit b on iris target=variety; register b as flowers
            alias flowers@champion 1
            """], environment: env)
        #expect(setup.status == 0, "\(setup.stdout)\(setup.stderr)")
        let server = try ServeEndToEndTests.Server(bundle: "flowers@champion", environment: env)
        defer { _ = server.stop() }
        let first = try await ServeEndToEndTests.http(server.url + "/metadata").body
        #expect(first.contains("flowers/1"), "\(first.prefix(300))")
        let done = LockedFlag()
        let client = Task { () -> (ok: Int, failures: [String]) in
            var ok = 0, failures: [String] = []
            while !done.isSet {
                do {
                    let r = try await ServeEndToEndTests.post(server, #"{"inputs": [[5.9, 3.0, 5.1, 1.8]]}"#)
                    if r.status == 200 { ok += 1 } else { failures.append("\(r.status) \(r.body)") }
                } catch { failures.append("\(error)") }
            }
            return (ok, failures)
        }
        let move = try Petal.run(["exec", "alias flowers@champion 2"], environment: env)
        #expect(move.status == 0, "\(move.stderr)")
        var now = first
        for _ in 0..<600 where !now.contains("flowers/2") {
            try await Task.sleep(for: .milliseconds(100))
            now = (try? await ServeEndToEndTests.http(server.url + "/metadata").body) ?? first
        }
        done.set()
        let result = await client.value
        #expect(now.contains("flowers/2"), "the server did not follow the alias")
        #expect(result.failures.isEmpty, "\(result.failures.prefix(3))")
        #expect(result.ok > 0)
        // Rolling back is moving the alias again.
        _ = try Petal.run(["exec", "alias flowers@champion 1"], environment: env)
        var back = now
        for _ in 0..<600 where !back.contains("flowers/1") {
            try await Task.sleep(for: .milliseconds(100))
            back = (try? await ServeEndToEndTests.http(server.url + "/metadata").body) ?? now
        }
        #expect(back.contains("flowers/1"))
    }
}
