import Foundation
import Hummingbird
import Logging
import NIOHTTP1
import PetalBundle
import PetalData

/// `POST /invocations`: checks the content type and size, decodes the rows, predicts, and answers
/// `{"predictions": …}`; every refusal is a JSON error with a status (400, 413, 415) and the server goes on.
struct Invocations: Sendable {
    let slot: ModelSlot
    let metrics: ServeMetrics
    let maxBodyBytes: Int
    let logger: Logger
    /// Gets each answered request's rows (queued, written elsewhere), when predictions are logged.
    var recorder: (any PredictionRecorder)?

    func respond(_ request: Request) async -> Response {
        let model = slot.current
        do {
            let csv = try Invocations.isCSV(request.headers[.contentType])
            let body = try await collect(request)
            let decoded: DecodedRequest = try body.withUnsafeReadableBytes { raw in
                guard var base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else {
                    throw ServeError("the body is empty; send a JSON object with one of \(PayloadDecoder.keysText), or CSV with a header line")
                }
                // A UTF-8 byte order mark (Windows tools write one) is not part of the JSON or CSV.
                var count = raw.count
                if count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF { base += 3; count -= 3 }
                return try model.decode(base, count: count, csv: csv)
            }
            let predictions: Predictions
            do {
                predictions = try model.model.predict(decoded.frame)
                // Whatever the model, an answer that is not a finite number is never sent (it would be null).
                switch predictions {
                case .classes(_, let p): try FiniteGuard.requireFiniteOutputs(p, width: model.description.classes.count, frame: decoded.frame)
                case .values(let v): try FiniteGuard.requireFiniteOutputs(v, width: 1, frame: decoded.frame)
                case .clusters: break
                }
            } catch {
                // The data did not fit the model (PetalError, BundleInputError): a 400 naming the field.
                throw ServeError.refusal(for: error, doing: "prediction")
            }
            metrics.recordPredictions(predictions, classes: model.description.classes)
            model.window.record(decoded.frame)
            recorder?.record(inputs: decoded.frame, predictions: predictions, model: model.description, time: Date().timeIntervalSince1970)
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: model.answer(predictions, style: decoded.style))))
        } catch let e as ServeError {
            metrics.recordRefusal(code: e.code)
            logger.info("refused /invocations: \(e)")
            var headers: HTTPFields = [.contentType: "application/json"]
            // The rest of the body is not read: the connection ends after this answer (see ConnectionGuard).
            if e.kind == .requestTooLarge || e.closesConnection { headers[.connection] = "close" }
            return Response(status: .init(code: e.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: e.json)))
        } catch {
            let e = ServeError(.internalError, "the server failed on this request: \(error)")
            metrics.recordRefusal(code: e.code)
            logger.error("failed /invocations: \(error)")
            return Response(status: .init(code: e.status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: e.json)))
        }
    }

    /// True for CSV, false for JSON; a 415 for anything else, no content type, or a charset other than UTF-8.
    static func isCSV(_ header: String?) throws -> Bool {
        guard let header, !header.isEmpty else {
            throw ServeError(.unsupportedMediaType, "the request has no Content-Type; send Content-Type: application/json (or text/csv)")
        }
        if header == "application/json" { return false }  // the common case, without any parsing
        let parts = header.lowercased().split(separator: ";").map { $0.filter { $0 != " " && $0 != "\t" } }
        let media = parts.first ?? ""
        for parameter in parts.dropFirst() where parameter.hasPrefix("charset=") {
            let charset = parameter.dropFirst("charset=".count).filter { $0 != "\"" }
            guard charset == "utf-8" || charset == "utf8" else {
                throw ServeError(.unsupportedMediaType, "the charset \(charset) is not supported; send UTF-8")
            }
        }
        switch media {
        case "application/json": return false
        case "text/csv", "application/csv": return true
        default:
            throw ServeError(.unsupportedMediaType, "the content type \(media) is not supported; send application/json (or text/csv)")
        }
    }

    /// The whole body, refused with 413 as soon as it is known to exceed the limit (from Content-Length before
    /// reading anything, or while reading), so an oversized body is never held in memory.
    func collect(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw tooLarge(length)
        }
        var buffer = ByteBuffer()
        do {
            for try await chunk in request.body {
                guard buffer.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                    throw tooLarge(nil)
                }
                if buffer.readableBytes == 0 { buffer = chunk } else { var c = chunk; buffer.writeBuffer(&c) }
            }
        } catch let e as ServeError {
            throw e
        } catch let e as HTTPParserError {
            // A bad chunk size, a Transfer-Encoding other than chunked: the client's fault, not the server's.
            throw ServeError(.malformedRequest, "the request body is not valid HTTP (\(e)); send it with Content-Length or as "
                             + "chunks (Transfer-Encoding: chunked, nothing else)", closesConnection: true)
        } catch {
            throw ServeError(.requestTimeout, "the request body did not arrive completely (the connection closed or the body took longer than allowed)",
                             closesConnection: true)
        }
        return buffer
    }

    private func tooLarge(_ length: Int?) -> ServeError {
        ServeError(.requestTooLarge, "the body\(length.map { " (\(ByteCount.text($0)))" } ?? "") is larger than the limit of \(ByteCount.text(maxBodyBytes)); "
                   + "send fewer rows per request, or start the server with a larger --max-body")
    }
}

/// Byte counts in words: "10 MB", "512 KB".
enum ByteCount {
    static func text(_ n: Int) -> String {
        if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MB" }
        if n >= 1 << 20 { return String(format: "%.1f MB", Double(n) / Double(1 << 20)) }
        if n >= 1 << 10 { return "\(n >> 10) KB" }
        return "\(n) bytes"
    }
}
