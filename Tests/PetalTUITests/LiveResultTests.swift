import PetalData
import PetalSession
import Testing
@testable import PetalTUI

/// A leaderboard fills in live: each partial result replaces the "(running)" view, and the final result takes
/// its place when the command ends.
@Suite struct LiveResultTests {
    /// Hands partial results straight to the workbench (the terminal's `Inbox` does it through the UI loop).
    final class Relay: LoadObserver {
        let workbench: Workbench
        var titles: [String] = []
        var screens: [String] = []
        init(_ workbench: Workbench) { self.workbench = workbench }
        func loadStarted(_ control: LoadControl, path: String) {}
        func loadEnded(_ control: LoadControl) {}
        func partialResult(_ output: any CommandOutput) {
            workbench.showPartial(output)
            titles.append(workbench.currentView.title)
            screens.append(TUIFixture.screen(workbench).text)
        }
    }

    @Test func leaderboardRowsArriveAndTheFinalTableReplacesThem() {
        let w = TUIFixture.workbench()
        let relay = Relay(w)
        w.session.loadObserver = relay
        let before = w.views.count
        w.runNow("leaderboard iris target=variety families=knn,lda,gaussian_nb folds=3")
        #expect(relay.titles.count == 3)
        #expect(relay.titles.allSatisfy { $0.hasSuffix("(running)") })
        #expect(relay.screens.first?.contains("1 of 3 done") == true)
        #expect(relay.screens.last?.contains("3 of 3 done") == true)
        // One view for the result: the running one gave way to it.
        #expect(!w.currentView.title.hasSuffix("(running)"))
        #expect(w.views.count == max(1, before))
        #expect(TUIFixture.screen(w).contains("baseline (majority)"))
    }
}
