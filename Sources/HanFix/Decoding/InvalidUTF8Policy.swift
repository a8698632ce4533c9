/// What to do with bytes that are not well-formed UTF-8.
public enum InvalidUTF8Policy: String, CaseIterable, Sendable {
    /// Stop with ``HanFixError/invalidUTF8(offset:)``, naming the offset of the first bad byte.
    case error
    /// Write U+FFFD for each maximal ill-formed subpart (Unicode §3.9), as browsers do.
    case replace
    /// Copy the bytes through unchanged; no conversion touches them.
    case pass
}
