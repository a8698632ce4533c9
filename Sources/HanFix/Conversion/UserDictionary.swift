/// Phrase mappings of the user's (`--dict FILE.tsv`) that take priority over the built-in
/// tables: a phrase found here is replaced by its value and kept from further conversion.
///
/// The file has OpenCC's format: one `phrase<TAB>value` a line, the first of several
/// space-separated values used; `#` starts a comment line.
///
/// ```swift
/// let terms = try UserDictionary(tsv: "内存\t記憶體\n", name: "terms.tsv")
/// var pipeline = TextPipeline(conversion: .s2t)
/// pipeline.userDictionaries = [terms]
/// ```
public struct UserDictionary: Sendable {
    public let name: String
    private let values: [[UInt8]: [UInt8]]
    private let firstBytes: Set<UInt8>
    private let longestKey: Int

    /// Parses `tsv`; throws ``HanFixError/dictionary(file:line:reason:)`` naming the line
    /// of a malformed entry.
    public init(tsv: String, name: String) throws {
        var values: [[UInt8]: [UInt8]] = [:]
        for (index, rawLine) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw HanFixError.dictionary(file: name, line: index + 1,
                                             reason: "expected a phrase, a tab and a value; found \(fields.count) fields")
            }
            guard !fields[0].isEmpty, !fields[0].contains(" ") else {
                throw HanFixError.dictionary(file: name, line: index + 1, reason: "the phrase is empty or contains a space")
            }
            guard let value = fields[1].split(separator: " ").first else {
                throw HanFixError.dictionary(file: name, line: index + 1, reason: "the value is empty")
            }
            let key = Array(fields[0].utf8)
            if values[key] == nil { values[key] = Array(value.utf8) }  // the first entry wins
        }
        self.name = name
        self.values = values
        firstBytes = Set(values.keys.map { $0[0] })
        longestKey = values.keys.map(\.count).max() ?? 0
    }

    /// Merges dictionaries: on a phrase in several, the first dictionary wins.
    static func merged(_ dictionaries: [UserDictionary]) -> UserDictionary? {
        guard var merged = dictionaries.first else { return nil }
        for dictionary in dictionaries.dropFirst() {
            merged = UserDictionary(name: merged.name, values: merged.values.merging(dictionary.values) { first, _ in first })
        }
        return merged
    }

    private init(name: String, values: [[UInt8]: [UInt8]]) {
        self.name = name
        self.values = values
        firstBytes = Set(values.keys.map { $0[0] })
        longestKey = values.keys.map(\.count).max() ?? 0
    }

    /// The longest phrase starting at `index` of `text`, as its length and value.
    func longestMatch(in text: UnsafeBufferPointer<UInt8>, at index: Int) -> (length: Int, value: [UInt8])? {
        guard firstBytes.contains(text[index]) else { return nil }
        var length = min(longestKey, text.count - index)
        while length > 0 {
            if let value = values[Array(text[index..<index + length])] { return (length, value) }
            length -= 1
        }
        return nil
    }
}
