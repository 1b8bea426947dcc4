import Foundation
import Testing
@testable import PetalSession
import PetalData

@Suite struct CountsCommandTests {
    @Test func countsNullsCorr() {
        let s = Session()
        _ = s.execute("open \(Repo.path("samples/penguins.csv"))")
        let counts = s.execute("counts penguins.sex").renderText(width: 80)
        #expect(counts.contains("male") && counts.contains("11 null (not counted)"))
        let nulls = s.execute("nulls penguins").json().serialized()
        #expect(nulls.contains("{\"name\": \"sex\", \"type\": \"text\", \"null_count\": 11"))
        let corr = s.execute("corr penguins")
        #expect(corr.ok)
        #expect(corr.renderText(width: 80).contains("(not numeric, left out: species, island, sex)"))
    }
}
