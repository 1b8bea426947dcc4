import Dispatch
import Foundation
import PetalData
import PetalSession

/// Shows a progress line on standard error while a large file loads, and turns Ctrl-C into a cancel.
public final class LoadProgress: LoadObserver {
    private var timer: DispatchSourceTimer?
    private var interrupt: DispatchSourceSignal?
    private let showProgress: Bool
    /// Draw the bar with Unicode blocks (else `#`).
    private let unicode: Bool
    private let queue = DispatchQueue(label: "petal.load-progress")
    /// The SIGINT disposition before the load (the REPL's line-clearing handler), restored after it.
    private var previousHandler: sig_t?

    /// - Parameters:
    ///   - showProgress: draw the progress line (only on a terminal).
    ///   - unicode: the session's character set (`Session.unicode`).
    public init(showProgress: Bool, unicode: Bool) { self.showProgress = showProgress; self.unicode = unicode }

    public func loadStarted(_ control: LoadControl, path: String) {
        // Ctrl-C cancels the work instead of ending the program.
        previousHandler = signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: queue)
        source.setEventHandler { control.cancel() }
        source.resume()
        interrupt = source
        guard showProgress else { return }
        let name = (path as NSString).lastPathComponent
        let t = DispatchSource.makeTimerSource(queue: queue)
        let unicode = self.unicode
        var ticks = 0
        t.schedule(deadline: .now() + .milliseconds(300), repeating: .milliseconds(200))
        t.setEventHandler {
            ticks += 1
            let (done, total) = control.progress
            let isFile = !path.hasPrefix("fitting ")
            // A database counts rows; a file or download counts bytes.
            let rows = SourceAddress.isPostgres(path)
            let label = isFile ? "loading " + name : path
            func amount(_ n: Int) -> String { rows ? "\(n) rows" : LoadProgress.megabytes(n) }
            guard total > 0 else {
                // The size is unknown (a query, a download without a length): how much so far, without a bar.
                guard isFile, done > 0 else { return }
                FileHandle.standardError.write(Data("\r\(label)  \(amount(done)) so far  (Ctrl-C cancels)\u{1B}[K".utf8))
                return
            }
            let fraction = control.fraction
            let bar = Bars.horizontal(fraction, width: 30, unicode: unicode)
            let shown = isFile ? "\(amount(done)) of \(rows ? "about " : "")\(amount(total))" : "\(done) of \(total)"
            let text = String(format: "\r%@  %@%@ %3.0f%%  %@  (Ctrl-C cancels)", label, bar,
                              String(repeating: " ", count: max(0, 30 - TextWidth.of(bar))), fraction * 100, shown)
            FileHandle.standardError.write(Data(text.utf8))
        }
        t.resume()
        timer = t
    }

    public func loadEnded(_ control: LoadControl) {
        if let timer {
            timer.cancel()
            queue.sync {}
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
        timer = nil
        interrupt?.cancel()
        interrupt = nil
        signal(SIGINT, previousHandler ?? SIG_DFL)
        previousHandler = nil
    }

    static func megabytes(_ n: Int) -> String { String(format: "%.0f MB", Double(n) / 1_000_000) }
}
