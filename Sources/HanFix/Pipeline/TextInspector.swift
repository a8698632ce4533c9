/// What ``TextInspector`` found in one input: its encoding, its script, and what repair
/// would do to it. `hanfix detect` prints one per input.
public struct TextReport: Sendable, Equatable {
    /// The script of the Han text.
    public enum Script: String, Sendable {
        /// Simplified-only characters (发, 区) and no Traditional-only ones.
        case simplified = "Hans"
        /// Traditional-only characters (發, 區) and no Simplified-only ones.
        case traditional = "Hant"
        /// Both kinds: Simplified and Traditional mixed.
        case mixed
        /// Neither kind: no Han text, or only characters both scripts share.
        case unknown
    }

    /// The detected encoding (nil for empty input).
    public var encoding: EncodingGuess?
    public var script: Script
    /// For Traditional text: "TW" when it already follows Taiwan's standard forms and not
    /// Hong Kong's, "HK" for the reverse; nil otherwise. Judged on the first MiB.
    public var region: String?
    public var simplifiedOnlyCharacters = 0
    public var traditionalOnlyCharacters = 0
    /// Decoded text, in bytes of UTF-8.
    public var textBytes = 0
    /// Stretches repair would mend as mojibake.
    public var mojibake = 0
    /// Places of irreversible damage (``DamageKind``).
    public var damage = 0
    /// Pinyin annotations repair would strip (``AnnotationMode/auto``).
    public var annotations = 0
    /// Radicals and other characters normalization would replace.
    public var normalizations = 0
}

/// Inspects a stream without changing it: runs the repair pipeline with automatic encoding
/// detection, counts what it would change, and reads the script of the result.
///
/// ```swift
/// var inspector = try TextInspector()
/// try inspector.process(bytes)
/// let report = try inspector.finish()   // report.encoding?.encoding == "GB18030"
/// ```
public struct TextInspector {
    private final class Findings {
        var encoding: EncodingGuess?
        var mojibake = 0, damage = 0, annotations = 0, normalizations = 0
    }

    private var stream: TextStream
    private let findings = Findings()
    private var simplifiedOnly = 0, traditionalOnly = 0, textBytes = 0
    /// The first MiB of text, for the regional hint.
    private var sample: [UInt8] = []
    private let table = CharacterProfileTable.embedded
    static let sampleLimit = 1 << 20

    public init() throws {
        let findings = self.findings
        // An ill-formed byte is damage to count, not a reason to stop: it is read as U+FFFD,
        // which the damage scan reports.
        var pipeline = TextPipeline(inputEncoding: "auto")
        pipeline.invalidUTF8 = .replace
        stream = try pipeline.makeStream(explain: { event in
            switch event.rule {
            case "mojibake": findings.mojibake += 1
            case "damage": findings.damage += 1
            case "pinyin-annotation": findings.annotations += 1
            default: findings.normalizations += 1
            }
        }, detected: { findings.encoding = $0 })
    }

    /// Inspects the next chunk.
    public mutating func process(_ chunk: UnsafeRawBufferPointer) throws {
        var text: [UInt8] = []
        try stream.process(chunk) { text.append(contentsOf: $0) }
        count(text)
    }

    /// Inspects the next chunk.
    public mutating func process(_ chunk: [UInt8]) throws {
        try chunk.withUnsafeBytes { try process($0) }
    }

    /// Ends the input and returns the report.
    public mutating func finish() throws -> TextReport {
        var text: [UInt8] = []
        try stream.finish { text.append(contentsOf: $0) }
        count(text)
        let script: TextReport.Script
        switch (simplifiedOnly > 0, traditionalOnly > 0) {
        case (true, true): script = .mixed
        case (true, false): script = .simplified
        case (false, true): script = .traditional
        case (false, false): script = .unknown
        }
        var region: String?
        if script == .traditional {
            let text = String(decoding: sample, as: UTF8.self)
            let taiwan = Converter(.t2tw, engine: .opencc).convert(text) == text,
                hongKong = Converter(.t2hk, engine: .opencc).convert(text) == text
            region = taiwan && !hongKong ? "TW" : hongKong && !taiwan ? "HK" : nil
        }
        return TextReport(encoding: findings.encoding, script: script, region: region,
                          simplifiedOnlyCharacters: simplifiedOnly, traditionalOnlyCharacters: traditionalOnly,
                          textBytes: textBytes, mojibake: findings.mojibake, damage: findings.damage,
                          annotations: findings.annotations, normalizations: findings.normalizations)
    }

    private mutating func count(_ text: [UInt8]) {
        textBytes += text.count
        if sample.count < Self.sampleLimit {
            // Whole lines only, so that no character is cut.
            let room = Self.sampleLimit - sample.count
            let end = text.count <= room ? text.count : (text[..<room].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0)
            sample += text[..<end]
        }
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
            if table.isSimplifiedOnly(scalar.value) { simplifiedOnly += 1 }
            if table.isTraditionalOnly(scalar.value) { traditionalOnly += 1 }
        }
    }
}
