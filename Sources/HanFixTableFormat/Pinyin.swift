/// Pinyin spelling, shared by the readings compiler and the annotation parser so that both
/// spell a syllable the same way: lowercase ASCII letters, `v` for ü, `e` for ê, and a tone
/// digit (1–4, 5 for the neutral tone).
public enum Pinyin {
    /// One letter of written pinyin: its ASCII base and the tone its mark gives (0 for none).
    public struct Letter: Equatable, Sendable {
        public var ascii: UInt8
        public var tone: UInt8

        public init(ascii: UInt8, tone: UInt8) {
            self.ascii = ascii
            self.tone = tone
        }
    }

    /// The letter a scalar writes, or nil when it is not part of pinyin. Lowercase only:
    /// pinyin annotations are lowercase, and "(AI)" or "(China)" must not read as pinyin.
    public static func letter(_ scalar: Unicode.Scalar) -> Letter? {
        let value = scalar.value
        if value >= 0x61 && value <= 0x7A { return Letter(ascii: UInt8(value), tone: 0) }
        // Every marked letter lies in U+00E0–U+01F9 (ǹ is the last) or in U+1E00–U+1EFF.
        if value >= 0xE0 && value <= 0x1F9 { return latinMarked[Int(value - 0xE0)] }
        return value >= 0x1E00 ? toneMarked[value] : nil
    }

    /// `toneMarked` for U+00E0–U+01F9, as an array: no hashing on the common path.
    private static let latinMarked: [Letter?] = (0xE0...0x1F9).map { toneMarked[UInt32($0)] }

    /// Tone marks as combining characters (after a base letter): U+0304, U+0301, U+030C, U+0300.
    public static func combiningTone(_ scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x0304: return 1
        case 0x0301: return 2
        case 0x030C: return 3
        case 0x0300: return 4
        default: return nil
        }
    }

    /// U+0308 COMBINING DIAERESIS, which turns a preceding u into ü (written v).
    public static func isCombiningDiaeresis(_ scalar: Unicode.Scalar) -> Bool { scalar.value == 0x0308 }

    /// Parses one syllable as Unihan writes it (tone marks, e.g. "qū", "lǜ", "ê̄") into its
    /// spelling, e.g. "qu1", "lv4", "e1"; an unmarked syllable gets the neutral tone 5.
    /// Returns nil for anything else.
    public static func normalizedSyllable(_ text: Substring) -> String? {
        var letters: [UInt8] = []
        var tone: UInt8 = 0
        for scalar in text.unicodeScalars {
            if let letter = letter(scalar) {
                letters.append(letter.ascii)
                if letter.tone != 0 { tone = letter.tone }
            } else if let mark = combiningTone(scalar) {
                tone = mark
            } else if isCombiningDiaeresis(scalar), letters.last == UInt8(ascii: "u") {
                letters[letters.count - 1] = UInt8(ascii: "v")
            } else {
                return nil
            }
        }
        guard !letters.isEmpty else { return nil }
        return String(decoding: letters, as: UTF8.self) + String(tone == 0 ? 5 : tone)
    }

    private static let toneMarked: [UInt32: Letter] = {
        var table: [UInt32: Letter] = [:]
        let rows: [(String, Character)] = [
            ("āáǎà", "a"), ("ēéěè", "e"), ("īíǐì", "i"), ("ōóǒò", "o"), ("ūúǔù", "u"), ("ǖǘǚǜ", "v"),
            ("ḿ", "m"), ("ńňǹ", "n"),
        ]
        for (marked, base) in rows {
            let tones: [UInt8] = marked.count == 4 ? [1, 2, 3, 4] : (marked.count == 3 ? [2, 3, 4] : [2])
            for (scalar, tone) in zip(marked.unicodeScalars, tones) {
                table[scalar.value] = Letter(ascii: UInt8(ascii: base.unicodeScalars.first!), tone: tone)
            }
        }
        table[0xFC] = Letter(ascii: UInt8(ascii: "v"), tone: 0)  // ü
        table[0xEA] = Letter(ascii: UInt8(ascii: "e"), tone: 0)  // ê
        table[0x1EBF] = Letter(ascii: UInt8(ascii: "e"), tone: 2)  // ế
        table[0x1EC1] = Letter(ascii: UInt8(ascii: "e"), tone: 4)  // ề
        return table
    }()
}
