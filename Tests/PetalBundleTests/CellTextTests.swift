import Foundation
import Testing
import PetalData
@testable import PetalBundle

/// `petal predict` echoing its inputs: a text column's cells come from its dictionary formatted once and packed (`PackedText`),
/// byte for byte the text the String formatters give — quoting, escapes, non-ASCII, empty and missing values.
@Suite struct CellTextTests {
    @Test func textCellsAreTheFormattersTextInEveryFormat() throws {
        let entries = ["plain", "with, comma", "say \"hi\"", "two\nlines", "", "café ☕", "tab\there", "NA", "  padded  "]
        let codes: [Int32] = (0..<500).map { Int32(($0 * 7) % entries.count) }
        let validity = Bitmap((0..<500).map { $0 % 11 != 3 })
        for column in [Column(name: "t", storage: .text(codes: codes, dictionary: TextDictionary(entries))),
                       Column(name: "t", storage: .text(codes: codes, dictionary: TextDictionary(entries)), validity: validity),
                       Column(name: "t", storage: .text(codes: [], dictionary: []))] {
            let cell = CellText(column: column)
            for r in 0..<column.count {
                for format in [BatchScorer.Format.csv, .ndjson] {
                    var out = TextBytes(capacity: 8)
                    cell.append(r, format: format, to: &out)
                    let got = String(decoding: out.bytes(), as: UTF8.self)
                    let expected = format == .ndjson ? cell.json(r) : cell.text(r, separator: ",")
                    #expect(got == expected, "row \(r), \(format)")
                }
            }
        }
    }

    /// Which path a float column's cells try first (the text is the same either way, `BatchScorerTests`): measured
    /// values take the scaled path, full-precision doubles the shortest search straight away.
    @Test func aColumnOfFullPrecisionDoublesSkipsTheScaledPath() {
        #expect(NumberBytes.mostlyFewDecimals([5.1, 3.5, 1.4, 0.2, 309.65, -0.6175, 24211]))
        #expect(!NumberBytes.mostlyFewDecimals([0.12961470224998342, -0.5633664700440417, 8.451333477536974, 44.170999577970335]))
        #expect(NumberBytes.mostlyFewDecimals([.nan, .nan]) && NumberBytes.mostlyFewDecimals([]))
        // Only the first 64 finite values are looked at.
        #expect(!NumberBytes.mostlyFewDecimals([.nan] + Array(repeating: 0.1 + 0.2, count: 64) + Array(repeating: 1.5, count: 1000)))
        #expect(CellText(column: Column(name: "x", storage: .float([0.1 + 0.2, 1.0 / 3]))).fewDecimals == false)
    }
}
