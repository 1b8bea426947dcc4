import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PetalBundle
import PetalData
import PetalML
@testable import PetalServe
import PetalTestSupport
import Testing

/// Models fitted on the samples, and a loopback HTTP client for servers started in the test process.
enum Fixtures {
    static let root = RepoPaths.root

    static func frame(_ name: String) throws -> Frame {
        try #require(try Loaders.load(path: root.appendingPathComponent("samples/\(name)").path).frame)
    }

    /// `steps` (e.g. [.standardScaler(...), .logisticRegression(...)]) fitted on every row of a sample.
    static func fit(_ sample: String, target: String, steps: [(String, [(String, String)])], task: LearningTask = .classification) throws -> (FittedPipeline, Frame) {
        let frame = try frame(sample)
        let pipeline = try Pipeline(steps: steps.map { try Step(name: $0.0, parameters: $0.1) })
        let schema = try FeatureSchema.infer(frame: frame, target: target, dataset: sample, task: task)
        let x = try schema.matrix(frame, dataset: sample)
        let y: Target = task == .classification ? .classes(try schema.labels(frame, dataset: sample)) : .values(try schema.values(frame, dataset: sample))
        return (try pipeline.fit(x, target: y, schema: schema), frame)
    }

    /// Logistic regression on iris (four numbers, three classes).
    static let iris: PipelineModel = {
        do {
            let (fitted, frame) = try fit("iris.csv", target: "variety", steps: [("standard_scaler", []), ("logistic_regression", [])])
            return PipelineModel(fitted, name: "iris", exampleFrame: frame)
        } catch { fatalError("cannot fit iris: \(error)") }
    }()

    /// Penguins: text columns (one-hot), missing values (imputer).
    static let penguins: PipelineModel = {
        do {
            let (fitted, frame) = try fit("penguins.csv", target: "species", steps: [("imputer", []), ("standard_scaler", []), ("logistic_regression", [])])
            return PipelineModel(fitted, name: "penguins", exampleFrame: frame)
        } catch { fatalError("cannot fit penguins: \(error)") }
    }()

    static let irisRow = #"{"sepal_length":5.1,"sepal_width":3.5,"petal_length":1.4,"petal_width":0.2}"#
}

/// A server on a free 127.0.0.1 port for the length of `body`, stopped afterwards.
func withServer<T>(_ model: any ServableModel, source: (any ModelSource)? = nil, configure: (inout ServeOptions) -> Void = { _ in },
                   _ body: (ModelServer) async throws -> T) async throws -> T {
    var options = ServeOptions()
    options.port = 0
    configure(&options)
    let server = try ModelServer(model: model, source: source, options: options)
    try await server.start()
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// One HTTP exchange.
struct HTTPReply {
    var status: Int
    var body: String
    var headers: [String: String]
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
}

enum HTTP {
    static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 60
        return URLSession(configuration: c)
    }()

    static func request(_ url: String, method: String = "GET", body: Data? = nil, contentType: String? = "application/json",
                        headers: [String: String] = [:]) async throws -> HTTPReply {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        request.httpBody = body
        if let contentType, body != nil { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (k, v) in http.allHeaderFields { fields[String(describing: k).lowercased()] = String(describing: v) }
        return HTTPReply(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: fields)
    }

    static func post(_ server: ModelServer, _ body: String, contentType: String? = "application/json", headers: [String: String] = [:]) async throws -> HTTPReply {
        try await request(server.url + "/invocations", method: "POST", body: Data(body.utf8), contentType: contentType, headers: headers)
    }
}
