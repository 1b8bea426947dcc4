import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct CompletionTests {
    @Test func completion() {
        let s = irisSession()
        #expect(Completion.candidates(for: "desc", in: s).contains("describe"))
        #expect(Completion.candidates(for: "hist iris.pe", in: s) == ["iris.petal_length", "iris.petal_width"])
        #expect(Completion.candidates(for: "hist iris.petal_length b", in: s) == ["bins="])
        #expect(Completion.candidates(for: "describe ", in: s).contains("iris"))
    }
}
