import PetalData
import PetalSession

extension Workbench {
    // MARK: - Keys

    /// A key pressed while the command line does not have it (focus on the view or sidebar, or a question open).
    public func handle(_ key: Key) -> Effect {
        if question != nil { return answerKey(key) }
        if key == .control("c") { return cancelKey() }
        if key == .control("l") { return .repaint }
        if key == .function(2) { showLog(); return .none }
        if key == .escape, showsMessage { messageStart = nil; return .none }
        if case .click(let x, let y) = key, let entry = sidebarRows[y], x < mainRect.x {
            sidebarIndex = entry
            return openSidebarEntry()
        }
        if focus == .sidebar { return sidebarKey(key) }
        if currentView.capturesKeys && key != .escape && key != .function(1) { return viewKey(key) }
        switch key {
        case .character(":"), .tab:
            focus = .commandLine
            return .none
        case .character("?"), .function(1):
            if !(currentView is HelpView) { push(HelpView()) }
            return .none
        case .character("q"):
            return pop() ? .none : requestQuit()
        case .escape:
            if !pop() { focus = .commandLine }
            return .none
        case .character("s"):
            focus = .sidebar
            return .none
        case .character("v"):
            return submit("view")
        default:
            var view = views[views.count - 1]
            let response = view.handle(key, rect: mainRect)
            views[views.count - 1] = view
            // A printable key the view has no use for starts a command: focus moves to the line and the key is typed.
            if case .ignored = response, case .character(let c) = key, !c.isWhitespace {
                focus = .commandLine
                return .type(String(c))
            }
            return apply(response)
        }
    }

    /// Ctrl-C: cancels the running command and drops the queued ones; otherwise dismisses a message.
    func cancelKey() -> Effect {
        guard busy != nil else { messageStart = nil; return .none }
        dropQueued()
        return .cancel
    }

    private func viewKey(_ key: Key) -> Effect {
        var view = views[views.count - 1]
        let response = view.handle(key, rect: mainRect)
        views[views.count - 1] = view
        return apply(response)
    }

    /// Keys the command line passes on: paging the view while typing.
    public func handleFromCommandLine(_ key: Key) -> Effect {
        switch key {
        case .pageUp, .pageDown, .scrollUp, .scrollDown, .click:
            if case .click(let x, let y) = key, let entry = sidebarRows[y], x < mainRect.x {
                sidebarIndex = entry
                return openSidebarEntry()
            }
            var view = views[views.count - 1]
            let response = view.handle(key, rect: mainRect)
            views[views.count - 1] = view
            return apply(response)
        case .function(1):
            push(HelpView())
            return .none
        case .function(2):
            showLog()
            return .none
        case .escape where showsMessage:
            messageStart = nil
            return .none
        case .control("c"):
            return cancelKey()
        default: return .none
        }
    }

    private func answerKey(_ key: Key) -> Effect {
        guard var q = question else { return .none }
        if q.purpose == Workbench.quitPurpose { return answerQuit(key) }
        if q.purpose == Workbench.passwordPurpose { return answerPasswordKey(key) }
        switch key {
        case .escape, .control("c"): question = nil
        case .backspace: if !q.text.isEmpty { q.text.removeLast() }; question = q
        case .enter:
            question = nil
            var view = views[views.count - 1]
            let response = view.answer(q.text, to: q.purpose, rect: mainRect)
            views[views.count - 1] = view
            return apply(response)
        case .character(let c): q.text.append(c); question = q
        default: break
        }
        return .none
    }
}
