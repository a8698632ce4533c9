/// One OpenCC text dictionary: lines of `key<TAB>candidate candidate …`, `#` comments.
///
/// The first candidate is the value, as OpenCC's converter uses only that one; the others are
/// kept as alternatives for reports. When a key repeats, the first line wins.
struct OpenCCDictionary {
    struct Entry {
        var key: [Unicode.Scalar]
        var value: String
        /// The other candidates, which OpenCC never writes but `--ambiguities` reports.
        var alternatives: [String] = []
        /// A context rule of HanFix's patches (`hanfix/patches`): written for greedy matching
        /// to decide a reading, so the lattice does not segment it anew.
        var isContextRule = false
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
            let candidates = fields[1].split(separator: " ").map(String.init)
            entries.append(Entry(key: Array(key.unicodeScalars), value: String(first),
                                 alternatives: candidates.dropFirst().filter { $0 != first }))
        }
        self.name = name
        self.entries = entries
    }
}
