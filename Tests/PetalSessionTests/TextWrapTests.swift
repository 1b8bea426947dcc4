import Foundation
import PetalSession
import Testing

@Suite struct TextWrapTests {
    @Test func wrapsAtSpacesAndKeepsEveryWordWhole() {
        let text = "fit k on penguins: kNN cannot use missing values; try pipeline k = imputer | standard_scaler | knn"
        for width in [20, 33, 80] {  // no word is longer than a line
            let lines = TextWidth.wrap(text, width: width, indent: "  ")
            #expect(lines.allSatisfy { TextWidth.of($0) <= width }, "\(lines)")
            #expect(lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") == text)
        }
    }

    @Test func splitsOnlyWordsLongerThanALineAndKeepsNewlinesAndIndents() {
        #expect(TextWidth.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
        #expect(TextWidth.wrap("a\n  b c", width: 10) == ["a", "  b c"])
        #expect(TextWidth.wrap("one two three", width: 7, indent: "  ") == ["one two", "  three"])
        #expect(TextWidth.wrap("", width: 5) == [""])
        #expect(TextWidth.wrap("日本語の文", width: 4) == ["日本", "語の", "文"])
    }
}
