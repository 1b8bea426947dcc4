/// A password asked for while a command runs (a PostgreSQL server that wants one when neither the address,
/// PGPASSWORD nor ~/.pgpass gave it). It is typed in the command line's place and never drawn — not even as
/// dots — and its keys go neither to readline (so never to the history) nor to the log.
extension Workbench {
    static let passwordPurpose = "password"

    /// Asks for the password of `target` (`petal@db.example:5432/course`); the answer comes back from a key as
    /// `Effect.password`. Replaces any other open question: the running command waits for this one.
    public func askPassword(for target: String) {
        addLog("\(target) asks for a password (typing is hidden; Enter sends it, Esc cancels)", style: CellStyle(.warning))
        question = Question(prompt: "password for \(target): ", purpose: Workbench.passwordPurpose, text: "", hidden: true)
    }

    /// True while the question open is a password (the loop must answer it before anything else).
    public var asksPassword: Bool { question?.purpose == Workbench.passwordPurpose }

    /// A key while the password is asked for: Enter sends what was typed, Esc or Ctrl-C sends nothing (the
    /// command then fails with a hint on PGPASSWORD and ~/.pgpass).
    func answerPasswordKey(_ key: Key) -> Effect {
        guard var q = question else { return .none }
        switch key {
        case .enter:
            question = nil
            return .password(q.text)
        case .escape, .control("c"):
            question = nil
            return .password(nil)
        case .backspace:
            if !q.text.isEmpty { q.text.removeLast() }
        case .control("u"):
            q.text = ""
        case .character(let c):
            q.text.append(c)
        default:
            return .none
        }
        question = q
        return .none
    }
}
