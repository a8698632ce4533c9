import HanFixTableFormat

/// Builds the data HanFix scores text with: a frequency tier for every Han character, the
/// pairs of characters that occur inside dictionary words, and the unified ideographs that
/// radicals and compatibility ideographs stand for.
///
/// Tiers come from Unihan and take the highest of:
/// - kHanyuPinlu, counts in a corpus of Modern Chinese: 2000+ → 7, 300+ → 6, 50+ → 5, 5+ → 4,
///   otherwise 3;
/// - kFrequency, five usage classes of Traditional characters: 1 → 7 … 5 → 3;
/// - level 1 of GB 2312 (kGB0 rows 16–55) or of Big5 (kBigFive up to C67E) → 4, level 2 → 2;
/// - the tier of its Simplified or Traditional variant, so that 發 ranks with 发;
/// - nothing for any other Han character (the reader ranks it 1).
struct CharacterProfileBuilder {
    private(set) var tiers: [UInt32: UInt8] = [:]
    private(set) var equivalents: [(UInt32, UInt32)] = []
    /// Characters of one script only, from OpenCC's character tables: a Simplified-only
    /// character is an STCharacters key that does not map to itself and is no Traditional
    /// form of anything, nor a Taiwan or Hong Kong standard form (发, but not 板, 干 or 群,
    /// which Traditional text uses too); likewise for Traditional-only with TSCharacters.
    private(set) var simplifiedOnly: Set<UInt32> = []
    private(set) var traditionalOnly: Set<UInt32> = []
    /// Keys of OpenCC's character tables that are not among their own candidates: what a
    /// conversion to the other script always changes; for STCharacters, less the Taiwan and
    /// Hong Kong standard forms (群, which OpenCC's Traditional writes 羣).
    private(set) var convertedByS2T: Set<UInt32> = []
    private(set) var convertedByT2S: Set<UInt32> = []

    init(frequencyText: String, frequencyFile: String, variantsText: String, variantsFile: String,
         equivalentsText: String, equivalentsFile: String, compatibilityText: String, compatibilityFile: String,
         simplifiedToTraditional: String, traditionalToSimplified: String, traditionalVariants: [String]) throws {
        func raise(_ scalar: UInt32, to tier: UInt8) { tiers[scalar] = max(tiers[scalar] ?? 0, tier) }
        try ReadingsBuilder.forEachField(in: frequencyText, file: frequencyFile) { scalar, field, value in
            switch field {
            case "kHanyuPinlu":
                // "yī(32747) yí(1234)": the counts of every reading.
                let count = value.split(whereSeparator: { $0 == "(" || $0 == ")" }).compactMap { Int($0) }.reduce(0, +)
                raise(scalar, to: count >= 2000 ? 7 : count >= 300 ? 6 : count >= 50 ? 5 : count >= 5 ? 4 : 3)
            case "kFrequency":
                if let rank = UInt8(value), (1...5).contains(rank) { raise(scalar, to: 8 - rank) }
            case "kGB0":
                if let row = Int(value.prefix(2)) { raise(scalar, to: row <= 55 ? 4 : 2) }
            case "kBigFive":
                raise(scalar, to: value <= "C67E" ? 4 : 2)
            default:
                break
            }
        }
        let ownTiers = tiers
        try ReadingsBuilder.forEachField(in: variantsText, file: variantsFile) { scalar, _, value in
            for variant in value.split(separator: " ").compactMap({ ReadingsBuilder.scalar(fromCodePoint: $0) }) {
                raise(scalar, to: ownTiers[variant] ?? 0)
            }
        }
        // EquivalentUnifiedIdeograph.txt: "2F00 ; 4E00 # KANGXI RADICAL ONE", ranges "2E9F..2EA0".
        for (index, line) in equivalentsText.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            if content.allSatisfy(\.isWhitespace) { continue }
            let fields = content.split(separator: ";").map { $0.filter { $0 != " " && $0 != "\t" } }
            let range = fields.first?.split(separator: ".", omittingEmptySubsequences: true).compactMap { UInt32($0, radix: 16) } ?? []
            guard fields.count == 2, let target = UInt32(fields[1], radix: 16), (1...2).contains(range.count) else {
                throw TableCompilerError.malformedLine(file: equivalentsFile, line: index + 1, text: String(line))
            }
            for source in range[0]...range[range.count - 1] { equivalents.append((source, target)) }
        }
        // UnicodeData.txt: "F900;CJK COMPATIBILITY IDEOGRAPH-F900;Lo;0;L;8C48;;;;N;;;;;" — the
        // singleton canonical decomposition. The twelve unified ideographs in the block have none.
        for (index, line) in compatibilityText.split(separator: "\n").enumerated() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
            guard fields.count > 5, let source = UInt32(fields[0], radix: 16) else {
                throw TableCompilerError.malformedLine(file: compatibilityFile, line: index + 1, text: String(line))
            }
            if let target = UInt32(fields[5], radix: 16) { equivalents.append((source, target)) }
        }
        equivalents.sort { $0.0 < $1.0 }
        // Taiwan and Hong Kong standard forms (群 for OpenCC's 羣) are Traditional too.
        let regionalForms = Set(traditionalVariants.flatMap { Self.entries($0).flatMap(\.1) })
        simplifiedOnly = Self.oneScriptCharacters(simplifiedToTraditional, otherDirection: traditionalToSimplified)
            .subtracting(regionalForms)
        traditionalOnly = Self.oneScriptCharacters(traditionalToSimplified, otherDirection: simplifiedToTraditional)
        convertedByS2T = Self.alwaysConverted(Self.entries(simplifiedToTraditional)).subtracting(regionalForms)
        convertedByT2S = Self.alwaysConverted(Self.entries(traditionalToSimplified))
    }

    /// The lines of a character table: `key<TAB>candidate candidate…`, single characters.
    private static func entries(_ text: String) -> [(UInt32, [UInt32])] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let key = fields[0].unicodeScalars.first, fields[0].unicodeScalars.count == 1 else {
                return nil
            }
            return (key.value, fields[1].split(separator: " ").compactMap { $0.unicodeScalars.first?.value })
        }
    }

    /// Keys of a character table (`key<TAB>candidate candidate…`) that are not among their
    /// own candidates, nor a candidate of any key, nor a key of the other direction's table.
    private static func oneScriptCharacters(_ table: String, otherDirection: String) -> Set<UInt32> {
        let own = entries(table)
        return alwaysConverted(own).subtracting(own.flatMap(\.1)).subtracting(entries(otherDirection).map(\.0))
    }

    /// The keys of a character table that are not among their own candidates: what the
    /// table always converts.
    private static func alwaysConverted(_ entries: [(UInt32, [UInt32])]) -> Set<UInt32> {
        Set(entries.filter { !$0.1.contains($0.0) }.map(\.0))
    }

    /// The profile byte of `scalar`: its tier (0 when it has none) and its script flags.
    func profile(of scalar: UInt32) -> UInt8 {
        var byte = tiers[scalar] ?? 0
        if simplifiedOnly.contains(scalar) { byte |= TableFormat.CharacterProfile.simplifiedOnlyBit }
        if traditionalOnly.contains(scalar) { byte |= TableFormat.CharacterProfile.traditionalOnlyBit }
        if convertedByS2T.contains(scalar) { byte |= TableFormat.CharacterProfile.convertedByS2TBit }
        if convertedByT2S.contains(scalar) { byte |= TableFormat.CharacterProfile.convertedByT2SBit }
        return byte
    }

    /// Every scalar with a tier or a script flag.
    var profiledScalars: Set<UInt32> {
        Set(tiers.keys).union(simplifiedOnly).union(traditionalOnly).union(convertedByS2T).union(convertedByT2S)
    }

    /// The phrase-bigram Bloom filter over every word of `dictionaries` (keys and values).
    static func phraseBigrams(_ dictionaries: [OpenCCDictionary]) -> [UInt32] {
        var words = [UInt32](repeating: 0, count: TableFormat.phraseBigramWords)
        func add(_ scalars: [UInt32]) {
            for index in scalars.indices.dropLast() {
                let (a, b) = TableFormat.phraseBigramBits(scalars[index], scalars[index + 1])
                words[Int(a >> 5)] |= 1 << (a & 31)
                words[Int(b >> 5)] |= 1 << (b & 31)
            }
        }
        for dictionary in dictionaries {
            for entry in dictionary.entries {
                add(entry.key.map(\.value))
                add(entry.value.unicodeScalars.map(\.value))
            }
        }
        return words
    }
}
