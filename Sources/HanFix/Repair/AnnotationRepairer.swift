/// Strips pinyin and zhuyin notes, such as the "(qū)" in 社區(qū), under an ``AnnotationMode``.
///
/// A note is stripped only when every syllable is a valid reading of the character it
/// follows (Unihan's kMandarin, kHanyuPinyin, kXHC1983 and kTGHZ2013 readings, with those of
/// the character's Simplified and Traditional variants); everything else stays byte for byte.
/// In ``AnnotationMode/auto``, a valid note is stripped when it reads a character that exists
/// in one script only, the mark of text annotated by a converter; a note reading only shared
/// characters (银行(háng)) is kept unless two or more script-specific notes came before it.
///
/// ```swift
/// let repairer = AnnotationRepairer(mode: .auto)
/// repairer.repair("推進社區(qū)治理")            // "推進社區治理"
/// repairer.decisions(in: "资料来源(2019)")  // kept: "the note is not pinyin or zhuyin"
/// ```
public struct AnnotationRepairer: Sendable {
    /// Which valid notes are stripped.
    public let mode: AnnotationMode
    let scanner = AnnotationScanner(readings: .embedded)

    /// Script-specific notes before which auto mode keeps notes on shared characters.
    static let profileThreshold = 2

    /// Creates a repairer; ``AnnotationMode/auto`` strips converter artifacts only.
    public init(mode: AnnotationMode = .auto) {
        self.mode = mode
    }

    /// The text with its annotations stripped.
    public func repair(_ text: String) -> String {
        var state = State()
        var text = text
        return text.withUTF8 { bytes in
            let output = ByteBuffer(capacity: bytes.count + 16)
            process(bytes, upTo: bytes.count, context: UnsafeBufferPointer(start: nil, count: 0), streamOffset: 0,
                    state: &state, into: output, report: nil)
            return String(decoding: output.bytes, as: UTF8.self)
        }
    }

    /// Every note considered in `text`, with the decision and its reason: the way to ask why
    /// a span was or was not stripped.
    public func decisions(in text: String) -> [AnnotationDecision] {
        var state = State()
        var decisions: [AnnotationDecision] = []
        var text = text
        _ = text.withUTF8 { bytes in
            process(bytes, upTo: bytes.count, context: UnsafeBufferPointer(start: nil, count: 0), streamOffset: 0,
                    state: &state, into: ByteBuffer(capacity: bytes.count), report: { decisions.append($0) })
        }
        return decisions
    }

    /// What a stream has seen so far that later decisions depend on.
    struct State {
        /// Script-specific valid notes seen (auto mode's converter-artifact profile).
        var scriptSpecificNotes = 0
    }

    /// Copies `text[..<limit]` to `output`, stripping the notes that open before `limit`
    /// (each must be closed within `text`), and reports each note considered. `context` holds
    /// the bytes just before `text` in the stream, where the characters a note reads may begin;
    /// `streamOffset` is the stream offset of `text[0]`. Returns the offset in `text` where
    /// consumption stopped (`limit`, or later when a stripped note extends past it) and
    /// whether a note was stripped. Without `copyingUnchanged`, nothing is written unless a
    /// note is stripped: the output is then `text[..<consumed]` as it is. `openings`, when
    /// given, must list the offset of every "(" and "（" in `text[..<limit]`.
    @discardableResult
    func process(_ text: UnsafeBufferPointer<UInt8>, upTo limit: Int, context: UnsafeBufferPointer<UInt8>,
                 streamOffset: Int, state: inout State, into output: ByteBuffer,
                 report: ((AnnotationDecision) -> Void)?,
                 removed: ((_ outputCount: Int, _ length: Int) -> Void)? = nil,
                 copyingUnchanged: Bool = true, openings: [Int]? = nil) -> (consumed: Int, stripped: Bool) {
        guard let base = text.baseAddress, limit > 0 else { return (0, false) }
        let end = base + text.count
        var copied = 0
        var index = 0
        // `openings`, when given, lists every opening parenthesis below `limit`, found ahead
        // (in parallel); otherwise the text is scanned here.
        var nextListed = 0
        while index < limit {
            if let openings {
                while nextListed < openings.count && openings[nextListed] < index { nextListed += 1 }
                index = nextListed < openings.count ? openings[nextListed] : limit
            } else {
                index = AnnotationScanner.nextOpening(in: base, from: index, limit: limit)
            }
            guard index < limit else { break }
            let openLength = AnnotationScanner.opensNote(base + index, end: end)
            guard let candidate = scanner.candidate(in: text, openingAt: index, openLength: openLength,
                                                    context: context) else {
                index += openLength
                continue
            }
            let (strip, reason) = decide(candidate, state: &state)
            if let report {
                func string(_ range: Range<Int>) -> String {
                    // The annotated characters may begin in `context` (negative offsets).
                    let before = range.lowerBound < 0 ? Array(context.suffix(-range.lowerBound)) : []
                    let inText = text[max(0, range.lowerBound)..<range.upperBound]
                    return String(decoding: before + Array(inText), as: UTF8.self)
                }
                report(AnnotationDecision(
                    range: (candidate.characters.lowerBound + streamOffset)..<(candidate.note.upperBound + streamOffset),
                    noteRange: (candidate.note.lowerBound + streamOffset)..<(candidate.note.upperBound + streamOffset),
                    characters: string(candidate.characters), note: string(candidate.note),
                    verdict: strip ? .stripped : .kept, reason: reason))
            }
            if strip {
                output.append(UnsafeBufferPointer(rebasing: text[copied..<candidate.note.lowerBound]))
                copied = candidate.note.upperBound
                removed?(output.count, candidate.note.count)
            }
            index = candidate.note.upperBound
        }
        let consumed = max(copied, limit)
        let stripped = copied != 0
        if copyingUnchanged || stripped {
            output.append(UnsafeBufferPointer(rebasing: text[copied..<consumed]))
        }
        return (consumed, stripped)
    }

    /// Whether to strip a note, and why.
    private func decide(_ candidate: AnnotationScanner.Candidate, state: inout State) -> (Bool, String) {
        guard candidate.isValidReading else { return (false, candidate.reason) }
        let affinities = candidate.annotatedScalars.map { scanner.readings.script(of: $0) }
        let scriptSpecific = affinities.first { $0 != .shared }
        if scriptSpecific != nil { state.scriptSpecificNotes += 1 }
        switch mode {
        case .keep:
            return (false, "a valid reading, kept: --annotations=keep")
        case .strip:
            return (true, "a valid reading of the characters it follows")
        case .auto:
            if let scriptSpecific {
                return (true, "a valid reading of a \(scriptSpecific.rawValue)-only character: a converter artifact")
            }
            if state.scriptSpecificNotes >= Self.profileThreshold {
                return (true, "a valid reading; the text shows the converter-artifact profile "
                              + "(\(state.scriptSpecificNotes) notes on script-specific characters before it)")
            }
            return (false, "a valid reading of characters shared by both scripts, in text without the "
                           + "converter-artifact profile: a textbook-style note, kept")
        }
    }
}
