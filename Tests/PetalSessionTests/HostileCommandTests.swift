import Foundation
import Testing
@testable import PetalSession
import PetalData

/// Hostile and careless command lines (issue 12): deep nesting is an error, NaN compares as IEEE does, unknown
/// names and mixed types are errors, clashing open options are refused, messages stay on one line.
@Suite struct HostileCommandTests {
    func rows(_ s: Session, _ condition: String) throws -> Int {
        let e = s.execute("filter iris \(condition) as out")
        if let error = e.error { throw error }
        return try s.dataset("out").frame.rowCount
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let s = irisSession()
        for condition in [String(repeating: "(", count: 100_000) + "petal_length > 4" + String(repeating: ")", count: 100_000),
                          String(repeating: "not ", count: 100_000) + "petal_length > 4",
                          String(repeating: "(not ", count: 50_000) + "petal_length > 4" + String(repeating: ")", count: 50_000),
                          String(repeating: "(", count: 100_000)] {
            let e = s.execute("filter iris \(condition) as deep")
            #expect(e.error?.message.contains("more than \(RowExpression.maxDepth) levels") == true, "\(e.error?.message.prefix(200) ?? "no error")")
        }
        // Long and / or chains are flat, not deep: 20,000 terms work (as a tree, that recursion would overflow a test thread's stack).
        let chain = Array(repeating: "petal_length > 4", count: 20_000).joined(separator: " and ")
        #expect(try rows(s, chain) == 84)
        let anyChain = Array(repeating: "petal_length > 100", count: 10_000).joined(separator: " or ") + " or petal_length > 4"
        #expect(try rows(s, anyChain) == 84)
        // Nesting within the limit still works.
        let nested = String(repeating: "(", count: 50) + "petal_length > 4" + String(repeating: ")", count: 50)
        #expect(try rows(s, nested) == 84)
        #expect(try rows(s, String(repeating: "not ", count: 20) + "petal_length > 4") == 84)
    }

    @Test func nanComparesAsIEEE() throws {
        let s = irisSession()
        for op in [">", ">=", "<", "<=", "=="] {
            #expect(try rows(s, "petal_length \(op) nan") == 0, "\(op)")
            #expect(try rows(s, "not petal_length \(op) nan") == 150, "not \(op)")
        }
        #expect(try rows(s, "petal_length != nan") == 150)
        #expect(try rows(s, "petal_length in (nan, 1.4)") == 13)
        #expect(try rows(s, "petal_length < inf") == 150)
    }

    @Test func unknownNamesAreErrorsWithDidYouMean() throws {
        let s = irisSession()
        let right = s.execute("filter iris petal_length > nope as x")
        #expect(right.error?.message.contains("no column \"nope\"") == true, "\(String(describing: right.error))")
        #expect(right.error?.hint?.contains("quote it") == true)
        let typo = s.execute("filter iris petal_lenght > 4 as x")
        #expect(typo.error?.hint?.contains("did you mean petal_length?") == true, "\(String(describing: typo.error))")
        let typoRight = s.execute("filter iris petal_length > sepal_lenght as x")
        #expect(typoRight.error?.hint?.contains("did you mean sepal_length?") == true)
        // A column on the right still works.
        #expect(try rows(s, "petal_length > sepal_width") > 0)
    }

    @Test func typeMismatchesAreErrors() throws {
        let s = irisSession()
        let text = s.execute("filter iris petal_length > \"abc\" as x")
        #expect(text.error?.message.contains("cannot compare petal_length (float) with the text \"abc\"") == true, "\(String(describing: text.error))")
        let number = s.execute("filter iris variety == 3 as x")
        #expect(number.error?.message.contains("cannot compare variety (text) with the number 3") == true)
        #expect(number.error?.hint?.contains("quote") == true)
        let columns = s.execute("filter iris petal_length == variety as x")
        #expect(columns.error?.message.contains("cannot compare petal_length (float) with variety (text)") == true)
        let list = s.execute("filter iris variety in (1, 2) as x")
        #expect(list.error != nil)
        #expect(try rows(s, "variety == \"setosa\"") == 50)
    }

    @Test func clashingOpenOptionsAreRefused() throws {
        let s = Session(width: 80)
        let path = Repo.path("samples/iris.csv")
        for options in ["thousands=. decimal=.", "thousands=, decimal=,", "sep=; decimal=;", "sep=, thousands=,"] {
            let e = s.execute("open \(path) \(options)")
            #expect(e.error?.message.contains("numbers would be misread") == true, "\(options): \(String(describing: e.error))")
        }
        let newline = s.execute("open \(path) sep=\"\\n\"")
        let text = newline.renderText(width: 80)
        #expect(newline.error != nil)
        #expect(text.contains("sep=\\n"), "\(text)")
        #expect(!text.contains("sep=\n"))
        #expect(s.execute("open \(path) sep=\"\\r\"").error != nil)
    }

    @Test func demoOfAFolderWithoutABundleSaysSo() throws {
        let s = Session(width: 80)
        let dir = NSTemporaryDirectory() + "petal-demo-\(UUID().uuidString)/bundles/iris"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let e = s.execute("demo \(dir)")
        #expect(e.error?.message.contains("is a folder but not a bundle: it has no petal.json") == true, "\(String(describing: e.error))")
        #expect(e.error?.message.contains("does not track runs") == false)
    }
}
