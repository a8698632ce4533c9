/// Replaces characters that stand in for ordinary ones, as PDF extraction and web pages
/// leave them.
///
/// - Kangxi radicals (U+2F00–U+2FD5) and CJK Radicals Supplement characters become the
///   unified ideograph `EquivalentUnifiedIdeograph.txt` gives, when they stand in Han text: a
///   Han character precedes them in the same run of Han characters and radicals, or follows
///   within ``radicalLookahead`` radicals. A radical in a list of radicals is left alone.
/// - CJK Compatibility Ideographs become their canonical unified ideograph; the twelve
///   unified ideographs inside that block (U+FA0E, U+FA0F, U+FA11 …) have none and stay.
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

        /// Radicals and compatibility ideographs (the default).
        public static let ideographs = Options(rawValue: 1)
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

    public init(options: Options = .ideographs) {
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

    /// What the normalizer remembers between chunks: whether the current run of Han
    /// characters and radicals has a Han character so far.
    struct State {
        var runHasHan = false
    }

    /// Normalizes `text` from its start up to where a decision would need bytes beyond its
    /// end (an escape, the characters after a radical, a cut sequence; everything, with
    /// `isFinal`); returns the number of bytes consumed. Unchanged stretches are passed to
    /// `emit` as slices of `text`.
    func normalize(_ text: UnsafeBufferPointer<UInt8>, isFinal: Bool, state: inout State, streamOffset: Int,
                   emit: (UnsafeBufferPointer<UInt8>) -> Void, report: (RepairEvent) -> Void) -> Int {
        guard let base = text.baseAddress else { return 0 }
        let end = base + text.count
        var position = 0
        var copiedUpTo = 0
        func replace(_ length: Int, with scalars: [UInt32], reason: String) {
            emit(UnsafeBufferPointer(rebasing: text[copiedUpTo..<position]))
            let original = String(decoding: UnsafeBufferPointer(rebasing: text[position..<position + length]), as: UTF8.self)
            let replacement = String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init)))
            Array(replacement.utf8).withUnsafeBufferPointer(emit)
            report(RepairEvent(offset: streamOffset + position, original: original, replacement: replacement,
                               rule: "normalization", reason: reason))
            position += length
            copiedUpTo = position
        }
        scanning: while position < text.count {
            let byte = text[position]
            if byte < 0x80 {
                state.runHasHan = false
                let mayEscape = options.contains(.unescape) && (byte == 0x26 || byte == 0x5C)
                if mayEscape && !isFinal && text.count - position < Self.longestEscape { break scanning }
                if mayEscape, let (scalar, length) = Self.escape(at: base + position, end: end) {
                    replace(length, with: [scalar], reason: byte == 0x26 ? "html-entity" : "unicode-escape")
                } else {
                    position += 1
                }
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(base + position, end: end)
            if scalar == UTF8Scalar.invalid {
                let subpart = UTF8Scalar.maximalSubpartLength(base + position, end: end)
                if !isFinal && position + subpart == text.count && subpart < UTF8Scalar.sequenceLength(lead: byte) {
                    break scanning  // cut by the chunk's end
                }
                state.runHasHan = false
                position += 1
            } else if (0x2E80...0x2FDF).contains(scalar) {
                var standsInHanText = state.runHasHan
                if options.contains(.ideographs) && !standsInHanText {
                    guard let follows = hanFollows(base + position + length, end: end, isFinal: isFinal) else { break scanning }
                    standsInHanText = follows
                }
                if options.contains(.ideographs), standsInHanText, let unified = table.equivalent(of: scalar) {
                    replace(length, with: [unified], reason: scalar >= 0x2F00 ? "kangxi-radical" : "cjk-radical-supplement")
                } else {
                    position += length
                }
            } else if CharacterProfileTable.isHan(scalar) {
                state.runHasHan = true
                if options.contains(.ideographs), (0xF900...0xFAFF).contains(scalar) || (0x2F800...0x2FA1F).contains(scalar),
                   let unified = table.equivalent(of: scalar) {
                    replace(length, with: [unified], reason: "compatibility-ideograph")
                } else {
                    position += length
                }
            } else {
                state.runHasHan = false
                if options.contains(.foldWidth), let folded = Self.foldedWidth(scalar) {
                    replace(length, with: [folded], reason: "fullwidth")
                } else {
                    position += length
                }
            }
        }
        emit(UnsafeBufferPointer(rebasing: text[copiedUpTo..<position]))
        return position
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
