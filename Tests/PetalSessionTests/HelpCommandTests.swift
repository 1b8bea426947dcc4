import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct HelpCommandTests {
    @Test func helpListsEveryCommand() {
        let text = Session().execute("help").renderText(width: 80)
        for c in Commands.all { #expect(text.contains(c.name)) }
        #expect(Session().execute("help open").renderText(width: 80).contains("on_bad_lines"))
    }
}
