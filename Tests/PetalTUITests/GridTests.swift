import Testing
@testable import PetalTUI

@Suite struct GridTests {
    @Test func putClipsAndMarksCuts() {
        var g = Grid(width: 10, height: 2)
        let end = g.put("hello world", x: 0, y: 0, ellipsis: true)
        #expect(g.line(0) == "hello wor…")
        #expect(end == 10)
        g.put("abc", x: 8, y: 1)
        #expect(g.line(1) == "        ab")
        g.put("off", x: 0, y: 5)  // outside: ignored, no trap
        g.set(x: -1, y: 0, Cell(text: "x", style: .plain))
        #expect(g.text == "hello wor…\n        ab")
    }

    @Test func wideCharactersTakeTwoCells() {
        var g = Grid(width: 6, height: 1)
        let end = g.put("日本x", x: 0, y: 0)
        #expect(end == 5)
        #expect(g.cell(x: 1, y: 0)?.text == "")
        #expect(g.line(0) == "日本x ")
        #expect(g.find("x")?.x == 4)
        // A wide character that would straddle the edge is left out.
        var h = Grid(width: 3, height: 1)
        h.put("a日本", x: 0, y: 0)
        #expect(h.line(0) == "a日")
    }

    @Test func fillAndRestyle() {
        var g = Grid(width: 4, height: 3)
        g.fill(Rect(x: 1, y: 1, width: 10, height: 1), with: "─", style: .muted)
        #expect(g.text == "\n ───\n")
        g.restyle(Rect(x: 0, y: 1, width: 2, height: 1)) { $0.reverse = true }
        #expect(g.cell(x: 1, y: 1)?.style.reverse == true && g.cell(x: 2, y: 1)?.style.reverse == false)
        #expect(Rect(x: 0, y: 0, width: 5, height: 5).inset(1) == Rect(x: 1, y: 1, width: 3, height: 3))
    }

    @Test func dotCanvasBrailleAndASCII() {
        var c = DotCanvasProbe.canvas()
        c.plot(x: 0, y: 0, seriesIndex: 1)
        c.plot(x: 1, y: 3, seriesIndex: 1)
        #expect(c.character(x: 0, y: 0, unicode: true) == "\u{2881}")
        #expect(c.character(x: 0, y: 0, unicode: false) == ".")
        #expect(c.seriesIndex(x: 0, y: 0) == 1)
        c.plot(x: 0, y: 1, seriesIndex: 2)
        #expect(c.seriesIndex(x: 0, y: 0) == -2)
        #expect(c.seriesIndex(x: 1, y: 0) == nil)
        c.plot(x: 99, y: 99)  // outside: ignored
    }
}

import PetalSession
enum DotCanvasProbe { static func canvas() -> DotCanvas { DotCanvas(width: 2, height: 1) } }
