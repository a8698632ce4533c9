/// Zhuyin (bopomofo) syllables spelled in pinyin, for annotations such as 區(ㄑㄩ).
enum Zhuyin {
    /// Whether the scalar is bopomofo or one of its tone marks.
    static func isZhuyin(_ scalar: Unicode.Scalar) -> Bool {
        (0x3105...0x312F).contains(scalar.value) || (0x31A0...0x31BF).contains(scalar.value)
            || toneMarks[scalar.value] != nil
    }

    /// ˉ ˊ ˇ ˋ ˙ (the light tone mark may also come first).
    static let toneMarks: [UInt32: UInt8] = [0x02C9: 1, 0x02CA: 2, 0x02C7: 3, 0x02CB: 4, 0x02D9: 5]

    private static let initials: [Character: String] = [
        "ㄅ": "b", "ㄆ": "p", "ㄇ": "m", "ㄈ": "f", "ㄉ": "d", "ㄊ": "t", "ㄋ": "n", "ㄌ": "l",
        "ㄍ": "g", "ㄎ": "k", "ㄏ": "h", "ㄐ": "j", "ㄑ": "q", "ㄒ": "x", "ㄓ": "zh", "ㄔ": "ch",
        "ㄕ": "sh", "ㄖ": "r", "ㄗ": "z", "ㄘ": "c", "ㄙ": "s",
    ]

    /// Finals as written after an initial; the y/w spellings for syllables without one are
    /// derived in ``pinyin(of:)``.
    private static let finals: [String: String] = [
        "": "", "ㄚ": "a", "ㄛ": "o", "ㄜ": "e", "ㄝ": "e", "ㄞ": "ai", "ㄟ": "ei", "ㄠ": "ao", "ㄡ": "ou",
        "ㄢ": "an", "ㄣ": "en", "ㄤ": "ang", "ㄥ": "eng", "ㄦ": "er",
        "ㄧ": "i", "ㄧㄚ": "ia", "ㄧㄛ": "io", "ㄧㄝ": "ie", "ㄧㄞ": "iai", "ㄧㄠ": "iao", "ㄧㄡ": "iu",
        "ㄧㄢ": "ian", "ㄧㄣ": "in", "ㄧㄤ": "iang", "ㄧㄥ": "ing",
        "ㄨ": "u", "ㄨㄚ": "ua", "ㄨㄛ": "uo", "ㄨㄞ": "uai", "ㄨㄟ": "ui", "ㄨㄢ": "uan", "ㄨㄣ": "un",
        "ㄨㄤ": "uang", "ㄨㄥ": "ong",
        "ㄩ": "v", "ㄩㄝ": "ve", "ㄩㄢ": "van", "ㄩㄣ": "vn", "ㄩㄥ": "iong",
    ]

    private static let withoutInitial: [String: String] = [
        "i": "yi", "ia": "ya", "io": "yo", "ie": "ye", "iai": "yai", "iao": "yao", "iu": "you", "ian": "yan",
        "in": "yin", "iang": "yang", "ing": "ying", "u": "wu", "ua": "wa", "uo": "wo", "uai": "wai",
        "ui": "wei", "uan": "wan", "un": "wen", "uang": "wang", "ong": "weng", "v": "yu", "ve": "yue",
        "van": "yuan", "vn": "yun", "iong": "yong",
    ]

    /// The pinyin letters of one zhuyin syllable without its tone mark, e.g. ㄑㄩ → "qu",
    /// ㄓ → "zhi", ㄩㄝ → "yue"; nil when it is not a syllable.
    static func pinyin(of syllable: String) -> String? {
        var rest = Substring(syllable)
        var initial = ""
        if let first = rest.first, let spelled = initials[first] {
            initial = spelled
            rest = rest.dropFirst()
        }
        guard let final = finals[String(rest)], !(initial.isEmpty && final.isEmpty) else { return nil }
        if initial.isEmpty { return withoutInitial[final] ?? final }
        if final.isEmpty {
            // ㄓ ㄔ ㄕ ㄖ ㄗ ㄘ ㄙ alone carry the "empty rhyme", written i.
            return ["zh", "ch", "sh", "r", "z", "c", "s"].contains(initial) ? initial + "i" : nil
        }
        if ["j", "q", "x"].contains(initial) && final.hasPrefix("v") {
            return initial + "u" + final.dropFirst()  // ü is written u after j, q, x
        }
        return initial + final
    }
}
