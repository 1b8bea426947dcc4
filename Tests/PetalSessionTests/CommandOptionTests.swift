import Foundation
import Testing
@testable import PetalSession
import PetalData

/// Options declared once (`CommandOption`): parsing, aliases, the unknown-option check, `help` and completion all
/// read the same declaration.
@Suite struct CommandOptionTests {
    /// Aliases are data: `test_size=`/`random_state=` give the very same split as `test=`/`seed=`.
    @Test func aliasesParseAsTheirOption() throws {
        let s = irisSession()
        _ = s.execute("pipeline p = standard_scaler | knn k=3")
        let a = s.execute("fit p on iris target=variety test=0.3 seed=7").output as? FitOutput
        let b = s.execute("fit p on iris target=variety test_size=0.3 random_state=7").output as? FitOutput
        let (x, y) = (try #require(a), try #require(b))
        #expect(x.result.split.test == y.result.split.test)
        #expect(x.result.split.test.count == 45)
        // A bad value is refused under the name the user wrote (random_state=abc used to fall back to 42).
        let bad = s.execute("fit p on iris target=variety random_state=abc")
        #expect(bad.error?.message == "random_state=abc is not a whole number from 0 to 4294967295")
        #expect(s.execute("fit p on iris target=variety test=1.5").error?.message == "test=1.5 must be a number at least 0 and less than 1")
        #expect(s.execute("fit p on iris target=variety stratify=maybe").error?.message == "stratify=maybe should be true or false")
        #expect(s.execute("cv p on iris target=variety folds=1").error?.message == "folds=1 is not a whole number from 2 to 1000")
        let unknown = try #require(s.execute("fit p on iris target=variety colour=red").error)
        #expect(unknown.message == "fit has no option \"colour\"")
        #expect(unknown.hint?.contains("test_size=") == true)
    }

    /// `help fit` lists every declared option with its default and aliases; completion offers them and a flag's values.
    @Test func helpAndCompletionReadTheDeclaration() throws {
        let s = irisSession()
        let help = s.execute("help fit").renderText(width: 100)
        for option in FitCommand.options {
            #expect(help.contains("  " + option.usage), "\(option.name) missing from help fit:\n\(help)")
            for alias in option.aliases { #expect(help.contains(alias + "="), "\(alias) missing from help fit") }
        }
        #expect(help.contains("test=0.2") && help.contains("also test_size="))
        #expect(s.execute("help serve").renderText(width: 100).contains("port=8080"))
        _ = s.execute("pipeline p = knn")
        let options = Completion.candidates(for: "fit p on iris st", in: s)
        #expect(options == ["stratify="])
        #expect(Completion.candidates(for: "fit p on iris stratify=t", in: s) == ["stratify=true"])
        #expect(Completion.candidates(for: "serve p po", in: s) == ["port="])
    }

    /// Every command's declared options: unique names (aliases included), help text, defaults that parse.
    @Test func everyDeclarationIsWellFormed() {
        for command in Commands.all where !command.options.isEmpty {
            let names = command.options.flatMap(\.names)
            #expect(Set(names).count == names.count, "\(command.name) declares a name twice")
            for o in command.options {
                #expect(!o.help.isEmpty, "\(command.name) \(o.name) has no help")
                guard let d = o.defaultText else { continue }
                switch o.kind {
                case .integer(let r): #expect(Int(d).map(r.contains) == true, "\(command.name) \(o.name)=\(d)")
                case .number(let r): #expect(Double(d).map { r.contains($0) } == true, "\(command.name) \(o.name)=\(d)")
                case .flag: #expect(Arguments.truth(d) != nil, "\(command.name) \(o.name)=\(d)")
                case .choice(let words): #expect(words.contains(d), "\(command.name) \(o.name)=\(d)")
                case .text: break
                }
            }
        }
    }
}
