/// Why the tables could not be compiled; each case names the file involved.
public enum TableCompilerError: Error, CustomStringConvertible {
    case unreadable(path: String)
    case malformedLine(file: String, line: Int, text: String)
    case malformedConfig(file: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path):
            return "cannot read \(path)"
        case .malformedLine(let file, let line, let text):
            return "\(file):\(line): expected `key<TAB>value[ value…]`, found \(text.debugDescription)"
        case .malformedConfig(let file, let reason):
            return "\(file): \(reason)"
        }
    }
}
