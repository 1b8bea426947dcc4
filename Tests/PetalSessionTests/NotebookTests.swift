import Testing
@testable import PetalSession

@Suite struct NotebookTests {
    static let text = """
        # Title

        ```petal
        datasets
        ```

        ```output
        wrong
        ```

        More prose.

        ```petal
        help drop
        ```
        end
        """

    @Test func checkFindsDifferencesAndUpdateFixesThem() throws {
        let book = try Notebook(path: "t.md", text: Self.text)
        #expect(book.blocks.count == 2)
        let (mismatches, _) = book.check(in: Session())
        #expect(mismatches.count == 2)
        #expect(mismatches.first?.line == 8)
        let updated = book.updated(in: Session())
        let again = try Notebook(path: "t.md", text: updated)
        #expect(again.check(in: Session()).mismatches.isEmpty)
        #expect(updated.contains("More prose.") && updated.hasSuffix("end"))
        #expect(updated.contains("```output\nno data sets open"))
    }

    @Test func unclosedBlockIsAnError() {
        #expect(throws: (any Error).self) { try Notebook(path: "t.md", text: "```petal\nhelp\n") }
    }
}
