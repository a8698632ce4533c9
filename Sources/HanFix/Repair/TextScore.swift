/// How much a piece of text looks like ordinary Chinese: the measure that decides whether a
/// mojibake repair is accepted and which encoding a byte string is in.
///
/// Two parts, both from ``CharacterProfileTable``:
/// - **characters:** the mean of points per non-space character: a Han character scores by
///   its frequency tier, from +4 (的, 是, 發) down to −3 (a rare character such as 戝);
///   ASCII, CJK and general punctuation, fullwidth forms and box drawing score 0; anything
///   else (kana, Greek, Cyrillic, accented Latin letters, private use) scores −3, as in Chinese
///   text they are what misdecoded bytes look like;
/// - **words:** the share of adjacent Han pairs that occur inside a word of OpenCC's
///   dictionaries, weighted 6, which real text has and shuffled bytes almost never do.
///
/// ```swift
/// TextScore("发展").value   // ≈ 9.5: frequent characters forming a word
/// TextScore("鍙戝睍").value  // ≈ −1.7: rare characters, no word
/// ```
struct TextScore: Comparable {
    private(set) var characters = 0
    private(set) var hanCharacters = 0
    private(set) var nonASCIICharacters = 0
    private var points = 0
    private var hanPairs = 0
    private var wordPairs = 0

    static let wordWeight = 6.0

    init<S: Sequence<Unicode.Scalar>>(_ scalars: S, table: CharacterProfileTable = .embedded) {
        var previousHan: UInt32? = nil
        for scalar in scalars where !Self.isSpace(scalar.value) {
            let value = scalar.value
            characters += 1
            if value >= 0x80 { nonASCIICharacters += 1 }
            points += Self.points(value, table: table)
            if CharacterProfileTable.isHan(value) {
                hanCharacters += 1
                if let previousHan {
                    hanPairs += 1
                    if table.isPhraseBigram(previousHan, value) { wordPairs += 1 }
                }
                previousHan = value
            } else {
                previousHan = nil
            }
        }
    }

    init(_ text: String) { self.init(text.unicodeScalars) }

    /// Character points of `scalar` (see the type's description).
    @inline(__always)
    static func points(_ scalar: UInt32, table: CharacterProfileTable = .embedded) -> Int {
        if CharacterProfileTable.isHan(scalar) {
            switch table.tier(scalar) {
            case 7: return 4
            case 6: return 3
            case 5: return 2
            case 4: return 1
            case 3: return 0
            case 2: return -1
            default: return -3
            }
        }
        return isNeutral(scalar) ? 0 : -3
    }

    /// Spaces and line breaks, which are not counted.
    @inline(__always)
    static func isSpace(_ scalar: UInt32) -> Bool {
        scalar == 0x20 || (0x09...0x0D).contains(scalar) || scalar == 0x3000 || scalar == 0xA0 || scalar == 0x85
            || (0x2000...0x200A).contains(scalar) || scalar == 0x2028 || scalar == 0x2029
    }

    /// Characters at home in Chinese text that say nothing about its encoding.
    @inline(__always)
    static func isNeutral(_ scalar: UInt32) -> Bool {
        scalar < 0x80 || (0x3000...0x303F).contains(scalar) || (0xFF01...0xFF5E).contains(scalar)
            || (0x2000...0x206F).contains(scalar) || (0x2500...0x257F).contains(scalar)
    }

    /// Mean character points.
    var characterMean: Double { characters == 0 ? 0 : Double(points) / Double(characters) }

    /// Share of adjacent Han pairs found in a dictionary word.
    var wordShare: Double { hanPairs == 0 ? 0 : Double(wordPairs) / Double(hanPairs) }

    /// The score: character mean plus weighted word share.
    var value: Double { characterMean + Self.wordWeight * wordShare }

    /// Share of Han characters among non-ASCII characters.
    var hanShare: Double { nonASCIICharacters == 0 ? 0 : Double(hanCharacters) / Double(nonASCIICharacters) }

    static func < (lhs: TextScore, rhs: TextScore) -> Bool { lhs.value < rhs.value }
    static func == (lhs: TextScore, rhs: TextScore) -> Bool { lhs.value == rhs.value }
}
