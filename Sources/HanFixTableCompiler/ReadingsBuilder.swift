import HanFixTableFormat

/// Builds the readings table from Unihan: each character's Mandarin readings are the union
/// of kMandarin, kHanyuPinyin, kXHC1983 and kTGHZ2013, plus those of its Simplified and
/// Traditional variants (Unihan lacks fà for 發, which 发 has).
struct ReadingsBuilder {
    /// Readings by scalar, as ``Pinyin`` spellings.
    private(set) var readings: [UInt32: Set<String>] = [:]
    private var simplifiedVariants: [UInt32: [UInt32]] = [:]
    private var traditionalVariants: [UInt32: [UInt32]] = [:]

    init(readingsText: String, variantsText: String, readingsFile: String, variantsFile: String) throws {
        try Self.forEachField(in: readingsText, file: readingsFile) { scalar, field, value in
            for token in value.split(separator: " ") {
                // kHanyuPinyin, kXHC1983, kTGHZ2013: "location:reading[,reading…]"; kMandarin: "reading".
                let list = token.split(separator: ":", maxSplits: 1).last!
                for syllable in list.split(separator: ",") {
                    if let spelling = Pinyin.normalizedSyllable(syllable) {
                        readings[scalar, default: []].insert(spelling)
                    }
                }
            }
        }
        try Self.forEachField(in: variantsText, file: variantsFile) { scalar, field, value in
            let targets = value.split(separator: " ").compactMap { Self.scalar(fromCodePoint: $0) }
            if field == "kSimplifiedVariant" {
                simplifiedVariants[scalar, default: []] += targets
            } else {
                traditionalVariants[scalar, default: []] += targets
            }
        }
        // Variants' readings, one level deep: 發 gains 发's readings and vice versa.
        var merged = readings
        for (scalar, variants) in simplifiedVariants.merging(traditionalVariants, uniquingKeysWith: +) {
            for variant in variants where variant != scalar {
                merged[scalar, default: []].formUnion(readings[variant] ?? [])
            }
        }
        readings = merged
    }

    /// Whether the character belongs to one script: it has a variant in the other one that
    /// is a different character.
    func scriptFlags(of scalar: UInt32) -> UInt32 {
        var flags: UInt32 = 0
        if (simplifiedVariants[scalar] ?? []).contains(where: { $0 != scalar }) {
            flags |= TableFormat.ReadingsEntry.traditionalOnlyBit
        }
        if (traditionalVariants[scalar] ?? []).contains(where: { $0 != scalar }) {
            flags |= TableFormat.ReadingsEntry.simplifiedOnlyBit
        }
        return flags
    }

    static func scalar(fromCodePoint text: Substring) -> UInt32? {
        // "U+53D1", possibly followed by "<source" annotations in some Unihan versions.
        let code = text.split(separator: "<").first ?? text
        guard code.hasPrefix("U+") else { return nil }
        return UInt32(code.dropFirst(2), radix: 16)
    }

    static func forEachField(in text: String, file: String,
                                     _ body: (UInt32, Substring, Substring) throws -> Void) throws {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let scalar = Self.scalar(fromCodePoint: fields[0]) else {
                throw TableCompilerError.malformedLine(file: file, line: index + 1, text: String(line))
            }
            try body(scalar, fields[1], fields[2])
        }
    }
}
