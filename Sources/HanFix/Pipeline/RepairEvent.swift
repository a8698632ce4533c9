/// One change HanFix made to the text, or damage it found and left alone: what `--explain`
/// reports, one JSON line each.
public struct RepairEvent: Sendable, Equatable {
    /// Byte offset of `original` in the text the step read (after decoding and the steps
    /// before it).
    public var offset: Int
    /// The text as it was.
    public var original: String
    /// What replaced it; nil for damage, which is reported and never changed.
    public var replacement: String?
    /// The step: `normalization`, `mojibake`, `damage` or `pinyin-annotation`.
    public var rule: String
    /// Which recipe, equivalence or damage kind, or the annotation rule, in words.
    public var reason: String
    /// For mojibake, the ``TextScore`` of the stretch before and after the repair.
    public var scores: (before: Double, after: Double)?

    public init(offset: Int, original: String, replacement: String?, rule: String, reason: String,
                scores: (before: Double, after: Double)? = nil) {
        self.offset = offset
        self.original = original
        self.replacement = replacement
        self.rule = rule
        self.reason = reason
        self.scores = scores
    }

    public static func == (lhs: RepairEvent, rhs: RepairEvent) -> Bool {
        lhs.offset == rhs.offset && lhs.original == rhs.original && lhs.replacement == rhs.replacement
            && lhs.rule == rhs.rule && lhs.reason == rhs.reason && lhs.scores?.before == rhs.scores?.before
            && lhs.scores?.after == rhs.scores?.after
    }

    /// Whether the event is damage (nothing was changed).
    public var isDamage: Bool { replacement == nil }

    /// The event as one line of JSON, newline-terminated: `offset`, `span` (the byte range of
    /// `original`), `original`, `replacement` (absent for damage), `rule`, `reason` and, for
    /// mojibake, `score` before and after.
    public var jsonLine: String {
        var line = "{\"offset\":\(offset),\"span\":[\(offset),\(offset + original.utf8.count)],"
            + "\"original\":\(Self.jsonString(original))"
        if let replacement { line += ",\"replacement\":\(Self.jsonString(replacement))" }
        line += ",\"rule\":\(Self.jsonString(rule)),\"reason\":\(Self.jsonString(reason))"
        if let scores {
            line += ",\"score\":{\"before\":\(Self.rounded(scores.before)),\"after\":\(Self.rounded(scores.after))}"
        }
        return line + "}\n"
    }

    private static func rounded(_ value: Double) -> String {
        let hundredths = (value * 100).rounded() / 100
        return hundredths == hundredths.rounded() ? String(Int(hundredths)) : String(hundredths)
    }

    /// A JSON string literal.
    public static func jsonString(_ string: String) -> String {
        var escaped = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}

extension RepairEvent {
    /// The event for a stripped pinyin annotation.
    init(_ decision: AnnotationDecision) {
        self.init(offset: decision.range.lowerBound, original: decision.characters + decision.note,
                  replacement: decision.characters, rule: "pinyin-annotation", reason: decision.reason)
    }
}
