/// A script conversion, named after the OpenCC config it reproduces.
///
/// ```swift
/// let converter = Converter(.s2t)
/// converter.convert("汉字")  // "漢字"
/// ```
public enum ConversionConfiguration: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Simplified Chinese to Traditional Chinese (OpenCC standard forms).
    case s2t
    /// Traditional Chinese (OpenCC standard forms) to Simplified Chinese.
    case t2s
    /// Simplified Chinese to Traditional Chinese, Taiwan standard characters.
    case s2tw
    /// Traditional Chinese, Taiwan standard characters, to Simplified Chinese.
    case tw2s
    /// Simplified Chinese to Traditional Chinese, Taiwan standard, with Taiwan phrases.
    case s2twp
    /// Traditional Chinese, Taiwan standard, to Simplified Chinese with mainland phrases.
    case tw2sp
    /// Simplified Chinese to Traditional Chinese, Hong Kong variant.
    case s2hk
    /// Traditional Chinese, Hong Kong variant, to Simplified Chinese.
    case hk2s
    /// Simplified Chinese to Traditional Chinese, Hong Kong variant, with Hong Kong phrases.
    case s2hkp
    /// Traditional Chinese, Hong Kong variant, to Simplified Chinese with mainland phrases.
    case hk2sp
    /// OpenCC standard Traditional to Taiwan standard characters.
    case t2tw
    /// Taiwan standard characters to OpenCC standard Traditional.
    case tw2t
    /// OpenCC standard Traditional to Hong Kong variant characters.
    case t2hk
    /// Hong Kong variant characters to OpenCC standard Traditional.
    case hk2t
    /// Traditional (kyūjitai) kanji to Japanese shinjitai.
    case t2jp
    /// Japanese shinjitai to traditional (kyūjitai) kanji.
    case jp2t

    /// OpenCC's own description of the config, e.g. "Simplified Chinese to Traditional
    /// Chinese (OpenCC Standard)".
    public var description: String { ConversionPlan(self, engine: .opencc).description }
}
