/// A character with more than one conversion, and how the engine chose: what
/// `--ambiguities` reports, one JSON line each.
///
/// OpenCC's character tables list several candidates for some characters (干 → 幹 乾 干)
/// and always write the first; a phrase (干净 → 乾淨) decides better. With
/// ``ConversionOptions/conservative``, a character no phrase decides is left as it is, as
/// MediaWiki does.
public struct Ambiguity: Sendable, Equatable {
    /// Byte offset of the character in the text the conversion read.
    public var offset: Int
    /// The character.
    public var source: String
    /// The character's length in bytes in the text the conversion read: that of `source`,
    /// unless the text held a compatibility ideograph (unified before conversion) or an
    /// ill-formed sequence (read as U+FFFD).
    public var length: Int
    /// Every candidate, OpenCC's first candidate first.
    public var candidates: [String]
    /// What was written.
    public var choice: String
    /// How it was chosen: `phrase` (a dictionary phrase holds it), `default` (the first
    /// candidate, for want of a phrase) or `conservative` (left unconverted for want of one).
    public var rule: String
    /// The phrase and its conversion, for `phrase`.
    public var phrase: String?

    public init(offset: Int, source: String, candidates: [String], choice: String, rule: String, phrase: String?,
                length: Int? = nil) {
        self.offset = offset
        self.source = source
        self.length = length ?? source.utf8.count
        self.candidates = candidates
        self.choice = choice
        self.rule = rule
        self.phrase = phrase
    }

    /// The ambiguity as one line of JSON, newline-terminated: `offset`, `span`, `source`,
    /// `candidates`, `choice`, `rule` and, for a phrase, `phrase`.
    public var jsonLine: String {
        let quoted = candidates.map(RepairEvent.jsonString).joined(separator: ",")
        var line = "{\"offset\":\(offset),\"span\":[\(offset),\(offset + length)],"
            + "\"source\":\(RepairEvent.jsonString(source)),\"candidates\":[\(quoted)],"
            + "\"choice\":\(RepairEvent.jsonString(choice)),\"rule\":\(RepairEvent.jsonString(rule))"
        if let phrase { line += ",\"phrase\":\(RepairEvent.jsonString(phrase))" }
        return line + "}\n"
    }
}

/// Collects the ambiguities of one block as the first conversion step meets them.
final class AmbiguityRecorder {
    var events: [Ambiguity] = []
}

/// How a ``Converter`` treats characters with several candidates.
public struct ConversionOptions: Sendable, Equatable {
    /// Leave a character with several candidates unconverted unless a phrase decides it.
    public var conservative = false

    public init(conservative: Bool = false) {
        self.conservative = conservative
    }
}
