import Foundation
import PetalData
import PetalSession
@testable import PetalTUI
import PetalTestSupport

/// A workbench on the built-in iris sample, and rendering helpers.
enum TUIFixture {
    static func workbench(width: Int = 100) -> Workbench {
        let session = Session(width: width)
        session.store(BundledSamples.iris(), as: "iris", source: "built-in iris sample")
        return Workbench(session: session)
    }

    static var penguinsPath: String {
        RepoPaths.path("samples/penguins.csv")
    }

    /// The screen as text at a size.
    static func screen(_ w: Workbench, width: Int = 100, height: Int = 30, line: CommandLineState = CommandLineState(),
                       unicode: Bool = true) -> Grid {
        var grid = Grid(width: width, height: height)
        w.render(into: &grid, line: line, context: DrawContext(unicode: unicode))
        return grid
    }
}
