import Testing
@testable import PetalSession
import PetalData

/// ASCII mode is a rendering setting each session carries (`Session.renderContext`), passed to `renderText(in:)`:
/// one session drawing in ASCII leaves another's bars, sparklines and plots alone.
@Suite struct RenderContextTests {
    @Test func asciiIsASessionSettingNotAGlobal() {
        let ascii = Session(width: 80, unicode: false)
        let fancy = Session(width: 80, unicode: true)
        for s in [ascii, fancy] { _ = s.execute("open \(Repo.path("samples/iris.csv")) as iris") }
        for line in ["hist iris.petal_length bins=5", "counts iris.variety", "scatter iris.sepal_length iris.petal_length"] {
            let a = ascii.execute(line), u = fancy.execute(line)
            #expect(a.ok && u.ok, "\(line)")
            // Interleaved on purpose: the ASCII session renders between the Unicode one's renders.
            let fancyBefore = u.renderText(in: fancy.renderContext)
            let plain = a.renderText(in: ascii.renderContext)
            let fancyAfter = u.renderText(in: fancy.renderContext)
            #expect(!plain.contains("█") && !plain.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) }, "\(line):\n\(plain)")
            #expect(fancyBefore == fancyAfter)
            #expect(fancyAfter.contains("█") || fancyAfter.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) }, "\(line):\n\(fancyAfter)")
        }
    }

    @Test func barsAndSparklinesTakeTheCharacterSet() {
        #expect(Bars.horizontal(0.5, width: 4, unicode: false) == "##")
        #expect(Bars.horizontal(0.5, width: 4, unicode: true) == "██")
        #expect(Bars.horizontal(.nan, width: 4, unicode: true).isEmpty)
        // The width-only entry point draws with Unicode; the context's width is the layout width.
        let s = Session(width: 40, unicode: false)
        _ = s.execute("open \(Repo.path("samples/iris.csv")) as iris")
        let hist = s.execute("hist iris.petal_width bins=3")
        #expect(hist.renderText(width: 40).contains("█"))
        #expect(hist.renderText(in: s.renderContext).contains("#"))
        #expect(s.renderContext == RenderContext(width: 40, unicode: false))
    }
}
