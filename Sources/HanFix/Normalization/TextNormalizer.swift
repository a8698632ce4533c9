/// Replaces characters that stand in for ordinary ones, as PDF extraction and web pages
/// leave them.
///
/// - Kangxi radicals (U+2F00–U+2FD5) and CJK Radicals Supplement characters become the
///   unified ideograph `EquivalentUnifiedIdeograph.txt` gives, when they stand in Han text: a
///   Han character precedes them in the same run of Han characters and radicals, or follows
///   within ``radicalLookahead`` radicals. A radical in a list of radicals is left alone.
/// - With ``Options/compatibilityIdeographs``: CJK Compatibility Ideographs become their
///   canonical unified ideograph; the twelve unified ideographs inside that block (U+FA0E,
///   U+FA0F, U+FA11 …) have none and stay. Opt-in, because Korean and Japanese text uses them
///   on purpose (KS X 1001 and JIS round trips): real clean text, such as LibreOffice's sample
///   of Korean numerals 壹貳參四伍六七八九零, holds them.
/// - With ``Options/foldWidth``: fullwidth ASCII letters and digits become ASCII; CJK
///   punctuation (，。（）：、「」) and U+3000 stay.
/// - With ``Options/unescape``: HTML numeric and named entities (`&#21457;`, `&#x53D1;`,
///   `&amp;`) and `\uXXXX` escapes (surrogate pairs joined) become the characters they name.
///
/// ```swift
/// TextNormalizer().normalize("⾦融")   // "金融"
/// ```
public struct TextNormalizer: Sendable {
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Radicals standing in Han text (the default).
        public static let radicals = Options(rawValue: 1)
        /// CJK Compatibility Ideographs.
        public static let compatibilityIdeographs = Options(rawValue: 8)
        /// Fullwidth ASCII letters and digits.
        public static let foldWidth = Options(rawValue: 2)
        /// HTML entities and `\u` escapes.
        public static let unescape = Options(rawValue: 4)
    }

    public var options: Options
    private let table = CharacterProfileTable.embedded

    /// How many radicals may stand between a radical and the Han character after it.
    static let radicalLookahead = 8
    /// The longest escape, `\uD83D\uDE00`.
    static let longestEscape = 12

    public init(options: Options = .radicals) {
        self.options = options
    }

    /// `text` normalized.
    public func normalize(_ text: String) -> String {
        var state = State()
        var output: [UInt8] = []
        let utf8 = Array(text.utf8)
        utf8.withUnsafeBufferPointer { buffer in
            _ = normalize(buffer, isFinal: true, state: &state, streamOffset: 0) { output.append(contentsOf: $0) } report: { _ in }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// What the normalizer remembers between chunks: whether the last character before the
    /// chunk that is not a radical is Han (radicals after it stand in Han text).
    struct State {
        var lastNonRadicalIsHan = false
    }

    /// Normalizes `text` from its start up to where a decision would need bytes beyond its
    /// end (an escape, the characters after a radical, a cut sequence; everything, with
    /// `isFinal`); returns the number of bytes consumed. Unchanged stretches are passed to
    /// `emit` as slices of `text`; without `emitUnchanged`, nothing is emitted when nothing
    /// was replaced, so that the caller can pass `text` on itself.
    ///
    /// Only the bytes that can begin a replacement are looked at (E2 for radicals, EF and F0
    /// for compatibility ideographs and fullwidth forms, `&` and `\` for escapes); a
    /// radical's context is read backwards and forwards from it. Complexity: O(n).
    func normalize(_ text: UnsafeBufferPointer<UInt8>, isFinal: Bool, state: inout State, streamOffset: Int,
                   emitUnchanged: Bool = true,
                   emit: (UnsafeBufferPointer<UInt8>) -> Void, report: (RepairEvent) -> Void) -> Int {
        guard let base = text.baseAddress else { return 0 }
        let end = base + text.count
        var position = 0
        var copiedUpTo = 0
        func replace(_ length: Int, with scalar: UInt32, reason: String) {
            emit(UnsafeBufferPointer(rebasing: text[copiedUpTo..<position]))
            let original = String(decoding: UnsafeBufferPointer(rebasing: text[position..<position + length]), as: UTF8.self)
            let replacement = String(Unicode.Scalar(scalar) ?? "\u{FFFD}")
            Array(replacement.utf8).withUnsafeBufferPointer(emit)
            report(RepairEvent(offset: streamOffset + position, original: original, replacement: replacement,
                               rule: "normalization", reason: reason))
            position += length
            copiedUpTo = position
        }
        let starts = startBytes
        scanning: while true {
            position = starts.next(in: text, from: position)
            guard position < text.count else { break }
            let byte = text[position]
            if byte < 0x80 {
                if !isFinal && text.count - position < Self.longestEscape { break scanning }
                if let (scalar, length) = Self.escape(at: base + position, end: end) {
                    replace(length, with: scalar, reason: byte == 0x26 ? "html-entity" : "unicode-escape")
                } else {
                    position += 1
                }
                continue
            }
            if !isFinal && UTF8Scalar.sequenceLength(lead: byte) > text.count - position { break scanning }
            let (scalar, length) = UTF8Scalar.decode(base + position, end: end)
            if (0x2E80...0x2FDF).contains(scalar) && options.contains(.radicals) {
                var standsInHanText = precededByHan(text, before: position, state: state)
                if !standsInHanText {
                    guard let follows = hanFollows(base + position + length, end: end, isFinal: isFinal) else { break scanning }
                    standsInHanText = follows
                }
                if standsInHanText, let unified = table.equivalent(of: scalar) {
                    replace(length, with: unified, reason: scalar >= 0x2F00 ? "kangxi-radical" : "cjk-radical-supplement")
                    continue
                }
            } else if options.contains(.compatibilityIdeographs),
                      (0xF900...0xFAFF).contains(scalar) || (0x2F800...0x2FA1F).contains(scalar),
                      let unified = table.equivalent(of: scalar) {
                replace(length, with: unified, reason: "compatibility-ideograph")
                continue
            } else if options.contains(.foldWidth), let folded = Self.foldedWidth(scalar) {
                replace(length, with: folded, reason: "fullwidth")
                continue
            }
            position += scalar == UTF8Scalar.invalid ? 1 : length
        }
        if !isFinal && position > 0 {
            // Keep a sequence cut by the chunk's end for the next call.
            var last = position - 1
            while last > copiedUpTo && position - last < 4 && text[last] & 0xC0 == 0x80 { last -= 1 }
            if text[last] >= 0xC0 && UTF8Scalar.sequenceLength(lead: text[last]) > position - last { position = last }
        }
        state.lastNonRadicalIsHan = precededByHan(text, before: position, state: state)
        if copiedUpTo > 0 || emitUnchanged { emit(UnsafeBufferPointer(rebasing: text[copiedUpTo..<position])) }
        return position
    }

    /// Whether the last character before `position` that is not a radical is Han, reading
    /// backwards; at the start of `text`, what `state` remembers.
    private func precededByHan(_ text: UnsafeBufferPointer<UInt8>, before position: Int, state: State) -> Bool {
        var index = position
        while index > 0 {
            var start = index - 1
            while start > 0 && index - start < 4 && text[start] & 0xC0 == 0x80 { start -= 1 }
            let (scalar, _) = UTF8Scalar.decode(text.baseAddress! + start, end: text.baseAddress! + index)
            if !(0x2E80...0x2FDF).contains(scalar) { return CharacterProfileTable.isHan(scalar) }
            index = start
        }
        return state.lastNonRadicalIsHan
    }

    /// The bytes that can begin a replacement under ``options``.
    private var startBytes: StartBytes {
        var bytes: [UInt8] = []
        if options.contains(.radicals) { bytes.append(0xE2) }
        if options.contains(.compatibilityIdeographs) { bytes += [0xEF, 0xF0] }
        if options.contains(.foldWidth) { bytes.append(0xEF) }
        if options.contains(.unescape) { bytes += [0x26, 0x5C] }
        return StartBytes(bytes)
    }

    /// Whether a Han character follows within ``radicalLookahead`` radicals; nil when the
    /// text ends before that is known and more may come.
    private func hanFollows(_ start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, isFinal: Bool) -> Bool? {
        var position = start
        for _ in 0...Self.radicalLookahead {
            // Four bytes: the longest scalar, so that a cut one is not taken for a non-Han one.
            if end - position < 4 && !isFinal { return nil }
            guard position < end else { return false }
            let (scalar, length) = UTF8Scalar.decode(position, end: end)
            if CharacterProfileTable.isHan(scalar) { return true }
            guard (0x2E80...0x2FDF).contains(scalar) else { return false }
            position += length
        }
        return false
    }

    /// Fullwidth digits and letters (U+FF10–U+FF19, U+FF21–U+FF3A, U+FF41–U+FF5A) → ASCII.
    static func foldedWidth(_ scalar: UInt32) -> UInt32? {
        switch scalar {
        case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A: return scalar - 0xFEE0
        default: return nil
        }
    }
}
