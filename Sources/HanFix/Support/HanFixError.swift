import Glibc

/// Errors raised by HanFix. Each one says what is wrong and where.
public enum HanFixError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input is not well-formed UTF-8; `offset` is the byte offset of the first bad byte
    /// from the start of the stream.
    case invalidUTF8(offset: Int)
    /// The input is not valid in `encoding`: the bytes at `offset` are illegal, unassigned,
    /// or decode to a private-use code point.
    case undecodable(encoding: String, offset: Int)
    /// No converter for the named encoding.
    case unknownEncoding(String)
    /// The output encoding cannot hold the character at `offset` (a byte offset in the UTF-8
    /// text being encoded).
    case unencodable(scalar: UInt32, encoding: String, offset: Int)
    /// A user dictionary has a malformed line.
    case dictionary(file: String, line: Int, reason: String)
    /// A file-system call failed: what was being done, to which path, and the errno.
    case fileSystem(operation: String, path: String, code: Int32)

    /// What is wrong, where, and how to go on, in one sentence for an error message.
    public var description: String {
        switch self {
        case .invalidUTF8(let offset):
            return "invalid UTF-8 at byte offset \(offset): the byte does not start a well-formed sequence "
                + "(use --invalid=replace or --invalid=pass to continue)"
        case .undecodable(let encoding, let offset):
            return "cannot decode the input as \(encoding) at byte offset \(offset): the bytes there are illegal "
                + "or unassigned in \(encoding)"
        case .unencodable(let scalar, let encoding, let offset):
            let hex = String(scalar, radix: 16, uppercase: true)
            let name = Unicode.Scalar(scalar).map { "\"\($0)\" (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))" }
                ?? "U+\(hex)"
            return "cannot encode \(name) in \(encoding) at byte offset \(offset) of the UTF-8 text: \(encoding) has no "
                + "such character (use --unmappable=replace to write a substitute)"
        case .dictionary(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .fileSystem(let operation, let path, let code):
            return "\(operation) \(path): \(String(cString: strerror(code)))"
        case .unknownEncoding(let name):
            return "unknown encoding \(name) (ICU converter names such as GB18030, GBK, Big5, Big5-HKSCS, UTF-16LE)"
        }
    }
}
