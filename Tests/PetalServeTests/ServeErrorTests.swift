import PetalBundle
import PetalData
import Testing
@testable import PetalServe

/// Each kind of refusal has one HTTP status and code, declared in `ServeError.Kind`; other errors map onto them.
@Suite struct ServeErrorTests {
    @Test func eachKindHasOneStatusAndCode() {
        let expected: [ServeError.Kind: Int] = [
            .badRequest: 400, .malformedRequest: 400, .unauthenticated: 401, .notFound: 404, .notAvailable: 404,
            .methodNotAllowed: 405, .requestTimeout: 408, .requestTooLarge: 413, .unsupportedMediaType: 415,
            .internalError: 500, .logFailed: 500,
        ]
        #expect(Set(ServeError.Kind.allCases) == Set(expected.keys))
        for kind in ServeError.Kind.allCases {
            let e = ServeError(kind, "m")
            #expect(e.status == expected[kind], "\(kind)")
            #expect(e.code == kind.rawValue)
            #expect(String(decoding: e.json, as: UTF8.self).hasPrefix("{\"error_code\":\"\(kind.rawValue)\""))
        }
    }

    @Test func otherErrorsMapOntoKinds() {
        let data = ServeError.refusal(for: PetalError("column x is text", hint: "send numbers"), doing: "prediction")
        #expect(data.status == 400 && data.message == "column x is text (send numbers)")
        let input = ServeError.refusal(for: BundleInputError(field: "sepal_length", expected: "number", message: "not a number"),
                                       doing: "prediction")
        #expect(input.status == 400 && input.field == "sepal_length" && input.expected == "a number")
        let own = ServeError(.requestTooLarge, "too big")
        #expect(ServeError.refusal(for: own, doing: "prediction").kind == .requestTooLarge)
        struct Unexpected: Error {}
        let other = ServeError.refusal(for: Unexpected(), doing: "prediction")
        #expect(other.status == 500 && other.code == "INTERNAL_ERROR" && other.message.hasPrefix("prediction failed"))
    }
}
