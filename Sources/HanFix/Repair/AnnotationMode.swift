/// Which pinyin (or zhuyin) annotations to strip, e.g. the "(qū)" in 社區(qū).
public enum AnnotationMode: String, CaseIterable, Sendable {
    /// Strip every annotation that is a valid reading of the characters it follows.
    case strip
    /// Strip nothing.
    case keep
    /// Strip annotations that show the converter-artifact profile: notes on characters that
    /// exist in one script only (區, 發). A note on characters shared by both scripts, such as
    /// 银行(háng), is a textbook-style note and is kept, unless at least two script-specific
    /// notes came earlier in the text, which marks the text as converter output.
    case auto
}

/// What HanFix decided about one parenthesized note after Han characters, and why.
public struct AnnotationDecision: Sendable, Equatable, CustomStringConvertible {
    /// What happened to the note.
    public enum Verdict: String, Sendable {
        /// The note was removed.
        case stripped
        /// The note was left in place.
        case kept
    }

    /// Byte offsets, in the input, of the annotated characters and the note together.
    public var range: Range<Int>
    /// Byte offsets of the note, parentheses included: what stripping removes.
    public var noteRange: Range<Int>
    /// The characters the note reads, when it is a valid reading; otherwise the characters
    /// just before it.
    public var characters: String
    /// The note with its parentheses, e.g. "(qū)".
    public var note: String
    /// Whether the note was stripped.
    public var verdict: Verdict
    /// The rule that decided, in words.
    public var reason: String

    /// One line: the characters and note, the verdict and the reason.
    public var description: String { "\(characters)\(note) \(verdict.rawValue): \(reason)" }
}
