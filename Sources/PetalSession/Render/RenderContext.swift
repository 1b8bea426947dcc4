/// How text output is laid out: the width in columns, and whether it may draw with Unicode (block bars, sparklines,
/// braille plots, box lines) or must keep to ASCII (`--ascii`, or a locale that is not UTF-8).
///
/// A value passed to `CommandOutput.renderText(in:)`, never a global: one session's ASCII mode cannot leak into
/// another's output (or into a test that runs beside it). A session's own is `Session.renderContext`.
public struct RenderContext: Sendable, Hashable {
    public var width: Int
    public var unicode: Bool

    public init(width: Int, unicode: Bool = true) {
        self.width = width; self.unicode = unicode
    }
}
