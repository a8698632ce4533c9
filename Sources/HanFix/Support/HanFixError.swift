/// Errors raised by HanFix. Each one says what is wrong and where.
public enum HanFixError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not well-formed UTF-8; `offset` is the byte offset of the first bad byte
    /// from the start of the stream.
    case invalidUTF8(offset: Int)

    public var description: String {
        switch self {
        case .invalidUTF8(let offset):
            return "invalid UTF-8 at byte offset \(offset): the byte does not start a well-formed sequence "
                + "(use --invalid=replace or --invalid=pass to continue)"
        }
    }
}
