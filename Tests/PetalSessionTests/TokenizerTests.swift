import Testing
@testable import PetalSession

@Suite struct TokenizerTests {
    @Test func wordsOptionsAndQuotes() throws {
        let t = try Tokenizer.tokens("open \"my file.csv\" sep=; query=\"SELECT a, b FROM t\" as x")
        #expect(t == [.word("open", quoted: false), .word("my file.csv", quoted: true), .option("sep", ";"),
                      .option("query", "SELECT a, b FROM t"), .word("as", quoted: false), .word("x", quoted: false)])
    }

    @Test func pipelineSymbols() throws {
        let t = try Tokenizer.tokens("pipeline p = standard_scaler | knn k=3")
        #expect(t.contains(.equals) && t.contains(.pipe) && t.contains(.option("k", "3")))
    }

    @Test func aCommentRunsToTheEndOfItsLine() {
        #expect(Tokenizer.commands("# a comment; with a semicolon and a \"quote\nhead iris; # another\ntail iris") == ["head iris", "tail iris"])
        #expect(Tokenizer.commands("filter iris variety = \"#1\"") == ["filter iris variety = \"#1\""])
    }

    @Test func unclosedQuoteIsAnError() {
        #expect(throws: (any Error).self) { try Tokenizer.tokens("open \"iris.csv") }
    }

    @Test func scriptsSplitOutsideQuotes() {
        let c = Tokenizer.commands("open a.db query=\"SELECT 1; SELECT 2\" as q; describe q\n# comment\nhead q")
        #expect(c == ["open a.db query=\"SELECT 1; SELECT 2\" as q", "describe q", "head q"])
    }

    @Test func argumentsParse() throws {
        let a = try Arguments(tokens: try Tokenizer.tokens("hist iris.petal_length bins=12"))
        #expect(a.verb == "hist" && a.positional == ["iris.petal_length"] && a.text(HistCommand.bins) == "12")
        #expect(throws: (any Error).self) { try a.int(CommandOption("bins", .integer(1...5), default: "10", help: "bins")) }
    }
}
