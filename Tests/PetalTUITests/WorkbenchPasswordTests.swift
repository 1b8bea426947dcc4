import PetalData
import PetalSession
import Testing
@testable import PetalTUI

/// The password question a running command can ask (`Workbench.askPassword`): typed where the command line is,
/// never drawn, answered with Enter, refused with Esc or Ctrl-C.
@Suite struct WorkbenchPasswordTests {
    static let target = "database \"course\" on 127.0.0.1:5432 as petal"

    @Test func typedKeysAreNeverDrawnAndEnterSendsThem() {
        let w = TUIFixture.workbench(width: 80)
        w.askPassword(for: Self.target)
        #expect(w.asksPassword)
        // Typing goes to the question whatever had focus, and nothing of it reaches the screen.
        w.focus = .view
        for c in "s3cr€t!" { #expect(w.handle(.character(c)) == .none) }
        #expect(w.handle(.backspace) == .none)
        #expect(w.handle(.character("x")) == .none)
        let g = TUIFixture.screen(w, width: 80, height: 24)
        #expect(g.line(22).hasPrefix("password for \(Self.target):"), "\(g.text)")
        #expect(!g.contains("s3cr") && !g.contains("€") && !g.contains("*") && !g.contains("•"), "\(g.text)")
        #expect(g.contains("asks for a password"), "\(g.text)")
        #expect(g.line(23).contains("Enter") && g.line(23).contains("Esc"))
        #expect(w.handle(.enter) == .password("s3cr€tx"))
        #expect(w.question == nil && !w.asksPassword)
        // What was typed is nowhere in the log.
        #expect(!w.log.contains { $0.text.contains("s3cr") })
    }

    @Test func escapeOrCtrlCSendsNothing() {
        let w = TUIFixture.workbench()
        w.askPassword(for: Self.target)
        _ = w.handle(.character("a"))
        #expect(w.handle(.escape) == .password(nil))
        w.askPassword(for: Self.target)
        #expect(w.handle(.control("c")) == .password(nil))
        #expect(w.question == nil)
    }

    @Test func ctrlUClearsWhatWasTyped() {
        let w = TUIFixture.workbench()
        w.askPassword(for: Self.target)
        for c in "wrong" { _ = w.handle(.character(c)) }
        _ = w.handle(.control("u"))
        for c in "right" { _ = w.handle(.character(c)) }
        #expect(w.handle(.enter) == .password("right"))
    }

    @Test func itReplacesAnotherQuestion() {
        let w = TUIFixture.workbench()
        w.runNow("pipeline p = knn")
        #expect(w.submit("quit") == .none && w.question != nil)
        w.askPassword(for: Self.target)
        // `y` is part of the password here, not an answer to the quit question.
        #expect(w.handle(.character("y")) == .none)
        #expect(w.handle(.enter) == .password("y"))
    }
}
