import Testing
@testable import PetalSession

/// One battery for every registered command's declared options (in the manner of scikit-learn's `check_estimator`):
/// each option — its name and every alias — is in `help VERB` with its default, completes as `name=`, and is not
/// described a second time in the help prose; an option the command does not declare is refused, naming the command.
/// A command added to `Commands.all` is checked with no edit here.
@Suite struct CommandOptionBatteryTests {
    /// Commands whose other `name=value` words are data, not options: pipeline parameters, sweeps, tags, form fields,
    /// filter expressions. Every other command must refuse an undeclared option.
    static let takesOtherNames: Set<String> = ["pipeline", "filter", "tag", "search", "demo"]

    @Test(arguments: Commands.all.map(\.name))
    func declaredOptionsAreDocumentedCompletedAndChecked(_ name: String) throws {
        let command = try #require(Commands.find(name))
        let s = trackedIrisSession()
        let help = s.execute("help \(name)").renderText(width: 200)
        for option in command.options {
            #expect(help.contains("\n  " + option.usage), "help \(name) lacks \(option.usage):\n\(help)")
            for alias in option.aliases { #expect(help.contains(alias + "="), "help \(name) lacks the alias \(alias)=") }
            switch option.kind {
            case .choice(let words): #expect(words.allSatisfy(help.contains), "help \(name) lacks \(option.name)'s choices")
            case .text, .integer, .number, .flag: break
            }
            // Declared once: the prose does not list the option again as an indented `name=…` line.
            let prose = command.help.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(!prose.contains { $0.hasPrefix(option.name + "=") }, "help \(name) describes \(option.name)= in its prose too")
            for typed in [option.name, String(option.name.prefix(2))] {
                let offered = Completion.candidates(for: "\(name) \(typed)", in: s)
                #expect(offered.contains(option.name + "="), "\(name) \(typed)<Tab> offers \(offered), not \(option.name)=")
            }
        }
        guard !Self.takesOtherNames.contains(name) else { return }
        let refused = try #require(s.execute("\(name) zz_not_an_option=1").error, "\(name) accepted zz_not_an_option=")
        #expect(refused.message == "\(name) has no option \"zz_not_an_option\"")
        for option in command.options { #expect(refused.hint?.contains(option.name + "=") == true, "\(name)'s hint lacks \(option.name)=") }
        if command.options.isEmpty { #expect(refused.hint?.contains("takes no options") == true) }
    }

    /// A command that takes other names still reads its own declared options, not as data: search's `folds=` is not
    /// a parameter to sweep, demo's `live=` is not a field.
    @Test func ownOptionsAreNotData() throws {
        let s = irisSession()
        _ = s.execute("pipeline p = knn")
        let search = try #require(s.execute("search p on iris target=variety folds=3").error)
        #expect(search.message == "search needs at least one parameter to sweep")
        #expect(search.hint == "e.g. search p on iris target=variety k=1,3,5")
        // Without a target (and no fit to take it from), the example names the argument, not a Swift optional.
        let untargeted = try #require(s.execute("search p on iris").error)
        #expect(untargeted.hint == "e.g. search p on iris target=COLUMN k=1,3,5", "\(untargeted.hint ?? "")")
        _ = s.execute("fit p on iris target=variety")
        #expect(s.execute("demo p live=on").ok)
        #expect(s.execute("demo p colour=red").error?.message.contains("no input called \"colour\"") == true)
    }

    /// Kinds parse as declared, with errors quoting the name written and the accepted values.
    @Test func kindsParseAsDeclared() throws {
        let s = irisSession()
        #expect(s.execute("counts iris.variety top=0").error?.message == "top=0 is not a whole number from 1 to 1000000")
        _ = s.executeScript("pipeline p = decision_tree; fit p on iris target=variety")
        #expect(s.execute("importance p method=gain").error?.message == "method=gain is not impurity or permutation")
        #expect(s.execute("importance p METHOD=Permutation repeats=2").ok)
        #expect(s.execute("leaderboard iris target=variety time=0").error?.message == "time=0 must be a number above 0")
        #expect(s.execute("automl iris target=variety time=10 test=0").error?.message == "test=0 must be a number above 0 and less than 1")
        #expect(s.execute("automl iris target=variety time=100000").error?.message == "time=100000 must be a number above 0 and at most 86400")
        #expect(trackedIrisSession().execute("features insert g from iris version=old").error?.message.hasPrefix("version=old: the only value is new") == true)
        #expect(s.execute("open x.csv on_bad_lines=maybe").error?.message == "on_bad_lines=maybe is not error, skip or warn")
        #expect(s.execute("sample iris 3 random_state=-1").error?.message.hasPrefix("random_state=-1 is not a whole number") == true)
    }
}
