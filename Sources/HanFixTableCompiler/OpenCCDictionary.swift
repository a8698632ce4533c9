/// One OpenCC text dictionary: lines of `key<TAB>candidate candidate …`, `#` comments.
///
/// Only the first candidate is kept, as OpenCC's converter uses only that one; when a key
/// repeats, the first line wins.
struct OpenCCDictionary {
    struct Entry {
        var key: [Unicode.Scalar]
        var value: String
    }

    let name: String
    let entries: [Entry]

    init(name: String, entries: [Entry]) {
        self.name = name
        self.entries = entries
    }

    init(name: String, text: String) throws {
        var entries: [Entry] = []
        var seen: Set<String> = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty,
                  let first = fields[1].split(separator: " ").first
            else {
                throw TableCompilerError.malformedLine(file: name, line: index + 1, text: String(line))
            }
            let key = String(fields[0])
            guard seen.insert(key).inserted else { continue }
            entries.append(Entry(key: Array(key.unicodeScalars), value: String(first)))
        }
        self.name = name
        self.entries = entries
    }
}
