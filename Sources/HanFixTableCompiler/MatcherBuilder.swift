import HanFixTableFormat

/// Merges a dictionary group into one trie whose nodes carry OpenCC's match priority.
///
/// Priorities encode the group policies so that the engine needs a single rule: walking a
/// key from its first scalar, a terminal node replaces the best match so far when its
/// priority is lower or equal. Members of a `short_circuit` group get increasing priorities
/// (the first member with any match wins, with its longest match); members of a `union`
/// share one priority (the longest match wins). When two members hold the same key, the
/// earlier one keeps it.
struct MatcherBuilder {
    struct TrieNode {
        var value: String?
        /// A one-scalar key's other candidates.
        var alternatives: [String] = []
        var priority: UInt32 = 0
        /// A key of two or more scalars whose value is what its scalars give one by one, and
        /// on whose inner pairs no longer key starts (see `markTransparentKeys`).
        var isTransparent = false
        /// A context rule's key (``OpenCCDictionary/Entry/isContextRule``).
        var isContextRule = false
        var children: [UInt32: Int] = [:]
    }

    private(set) var nodes: [TrieNode] = [TrieNode(), TrieNode()]  // 0: placeholder, 1: root
    private(set) var maxKeyScalars = 0
    private(set) var maxExpansion = 1
    private(set) var keyScalars: Set<UInt32> = []
    private var nextPriority: UInt32 = 0

    init(spec: DictionarySpec, dictionaries: [String: OpenCCDictionary]) throws {
        try add(spec, priority: nil, dictionaries: dictionaries)
        markTransparentKeys(below: 1, key: [], expected: "", filter: bigramFilter)
    }

    /// Marks the keys whose value equals the concatenation of their scalars' one-scalar
    /// values (the scalar itself where it has none), and inside which no longer key may
    /// start on a pair of their own scalars (by the bigram filter, as the engine would ask):
    /// re-segmenting them changes nothing unless a key starts at their last scalar, which
    /// only the text after them can tell.
    private mutating func markTransparentKeys(below node: Int, key: [UInt32], expected: String,
                                              filter: (bits: UInt32, words: [UInt32])?) {
        for (scalar, child) in nodes[node].children {
            let single = nodes[1].children[scalar].flatMap { nodes[$0].value } ?? String(Unicode.Scalar(scalar)!)
            let text = expected + single
            let childKey = key + [scalar]
            if childKey.count >= 2, let value = nodes[child].value {
                let innerPairsClear = (1..<(childKey.count - 1)).allSatisfy { index in
                    guard let filter else { return true }
                    return !filter.words.hasBit(TableFormat.bigramHash(childKey[index], childKey[index + 1], bits: filter.bits))
                }
                nodes[child].isTransparent = value == text && innerPairsClear
            }
            markTransparentKeys(below: child, key: childKey, expected: text, filter: filter)
        }
    }

    private mutating func add(_ spec: DictionarySpec, priority: UInt32?,
                              dictionaries: [String: OpenCCDictionary]) throws {
        switch spec {
        case .file(let name):
            guard let dictionary = dictionaries[name] else {
                throw TableCompilerError.unreadable(path: "\(name).txt")
            }
            let priority = priority ?? takePriority()
            for entry in dictionary.entries { try insert(entry, priority: priority) }
        case .group(.union, let members):
            let shared = priority ?? takePriority()
            for member in members { try add(member, priority: shared, dictionaries: dictionaries) }
        case .group(.shortCircuit, let members):
            guard priority == nil else {
                throw TableCompilerError.malformedConfig(
                    file: spec.canonicalName, reason: "a short_circuit group inside a union is not supported")
            }
            for member in members { try add(member, priority: nil, dictionaries: dictionaries) }
        }
    }

    private mutating func takePriority() -> UInt32 {
        defer { nextPriority += 1 }
        return nextPriority
    }

    private mutating func insert(_ entry: OpenCCDictionary.Entry, priority: UInt32) throws {
        guard entry.key.count <= TableFormat.maximumKeyScalars else {
            throw TableCompilerError.malformedConfig(
                file: String(entry.key.map(Character.init)), reason: "a key longer than \(TableFormat.maximumKeyScalars) characters")
        }
        var node = 1
        for scalar in entry.key {
            keyScalars.insert(scalar.value)
            if let child = nodes[node].children[scalar.value] {
                node = child
            } else {
                nodes.append(TrieNode())
                nodes[node].children[scalar.value] = nodes.count - 1
                node = nodes.count - 1
            }
        }
        guard nodes[node].value == nil else { return }  // an earlier member keeps the key
        nodes[node].value = entry.value
        nodes[node].isContextRule = entry.isContextRule
        if entry.key.count == 1 { nodes[node].alternatives = entry.alternatives }
        nodes[node].priority = priority
        maxKeyScalars = max(maxKeyScalars, entry.key.count)
        let keyBytes = entry.key.reduce(0) { $0 + UTF8.width($1) }
        maxExpansion = max(maxExpansion, (entry.value.utf8.count + keyBytes - 1) / keyBytes)
    }

    /// UTF-8 lead bytes of the keys' first scalars, as a 256-bit mask in eight words.
    var leadByteMask: [UInt32] {
        var mask = [UInt32](repeating: 0, count: 8)
        for scalar in nodes[1].children.keys {
            let lead = Array(String(Unicode.Scalar(scalar)!).utf8)[0]
            mask[Int(lead >> 5)] |= 1 << UInt32(lead & 31)
        }
        return mask
    }

    /// The bigram filter, sized to the pairs, or nil when no key has two or more scalars.
    var bigramFilter: (bits: UInt32, words: [UInt32])? {
        let pairs = nodes[1].children.values.reduce(0) { $0 + nodes[$1].children.count }
        guard pairs > 0 else { return nil }
        let bits = TableFormat.bigramFilterBits(pairs: pairs)
        var words = [UInt32](repeating: 0, count: 1 << (Int(bits) - 5))
        for (first, node) in nodes[1].children {
            for second in nodes[node].children.keys {
                words.setBit(TableFormat.bigramHash(first, second, bits: bits))
            }
        }
        return (bits, words)
    }

    /// ASCII bytes that begin a key, as a 128-bit mask in four words.
    var asciiStartMask: [UInt32] {
        var mask = [UInt32](repeating: 0, count: 4)
        for scalar in nodes[1].children.keys where scalar < 128 {
            mask[Int(scalar >> 5)] |= 1 << (scalar & 31)
        }
        return mask
    }
}
