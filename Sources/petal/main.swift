import ArgumentParser
import Dispatch
import Foundation
import PetalData
import PetalSession
import PetalTerminal

FirstFrameTrace.start = DispatchTime.now().uptimeNanoseconds

// `petal help [TOPIC]` is the command language's help; ArgumentParser's own help stays at --help.
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "help" {
    let session = Session(width: TerminalSize.columns() ?? 80)
    let execution = session.execute((["help"] + arguments.dropFirst()).joined(separator: " "))
    print(execution.renderText(in: session.renderContext))
    if execution.ok {
        if arguments.count == 1 { print("\n" + PetalCLI.helpMessage()) }
        exit(0)
    }
    exit(1)
}
PetalCLI.main()
