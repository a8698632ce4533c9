/// A way Chinese text gets garbled: bytes in one encoding decoded as another. Each recipe
/// re-encodes the garbled characters the way they were misread and decodes the bytes the way
/// they were meant.
public enum MojibakeRecipe: String, CaseIterable, Sendable {
    /// UTF-8 read as Windows-1252 or Latin-1, once or up to three times: `ç¤¾åŒº` → 社区.
    case utf8AsCP1252 = "utf8-as-cp1252"
    /// GBK read as Windows-1252 or Latin-1: `ÉçÇø` → 社区.
    case gbkAsCP1252 = "gbk-as-cp1252"
    /// UTF-8 read as GBK: `鍙戝睍` → 发展.
    case utf8AsGBK = "utf8-as-gbk"
    /// Big5 read as GBK: Traditional text that came out as rare Simplified characters, kana
    /// and Cyrillic.
    case big5AsGBK = "big5-as-gbk"
    /// GBK read as Big5: Simplified text that came out as unrelated Traditional characters.
    case gbkAsBig5 = "gbk-as-big5"
    /// Big5 whose second byte 0x5C was taken for a backslash and escaped: `許\功\` → 許功.
    case big5Backslash = "big5-backslash"

    /// What went wrong, for reports.
    public var summary: String {
        switch self {
        case .utf8AsCP1252: return "UTF-8 decoded as Windows-1252/Latin-1"
        case .gbkAsCP1252: return "GBK decoded as Windows-1252/Latin-1"
        case .utf8AsGBK: return "UTF-8 decoded as GBK"
        case .big5AsGBK: return "Big5 decoded as GBK"
        case .gbkAsBig5: return "GBK decoded as Big5"
        case .big5Backslash: return "Big5 trail byte 0x5C escaped as a backslash"
        }
    }
}

/// Irreversible damage: HanFix reports it and never "fixes" it.
public enum DamageKind: String, CaseIterable, Sendable {
    /// Runs of U+FFFD, where a decoder gave up.
    case replacementCharacter = "replacement-character"
    /// 锟斤拷: U+FFFD U+FFFD encoded as UTF-8, then read as GBK.
    case kunjinkao
    /// 烫烫烫: uninitialized stack memory (0xCC bytes) printed as GBK.
    case tangtang
    /// 屯屯屯: uninitialized heap memory (0xCD bytes) printed as GBK.
    case tuntun
    /// Runs of `?` in Han text, where an encoder substituted characters it could not hold.
    case questionMarks = "question-marks"
    /// The end of UTF-8-as-GBK mojibake whose last character lost a byte: the characters
    /// before it were restored; it was kept as it was.
    case lossyTail = "lossy-tail"
}
