import HanFixTableFormat

extension MatcherBuilder {
    /// The crossing filter of HanFix's engine (``TableFormat/crossingBits(_:_:before:bits:)``):
    /// the pairs of scalars around an opaque key (one of two or more scalars that is not
    /// transparent) at which a lexicon word or another key may cross it.
    ///
    /// - *After* the key: (its last scalar, the next one) when a word of `words` or a key of
    ///   this matcher starts inside the key, at its second scalar or later, runs to the key's
    ///   end and goes on with that next scalar.
    /// - *Before* the key: (the scalar before it, its first scalar) when a word of `words`
    ///   ends inside the key, before its last scalar, and starts before the key with that
    ///   scalar.
    ///
    /// These are the only ways the lattice (`PhraseMatcher+Lattice`) finds a region around a
    /// key, so where neither pair is in the filter, greedy's parse stands without a lexicon
    /// lookup. A pair stands for every key with the same last (first) scalar, and hashes may
    /// collide: the filter may say yes where no word crosses, never the reverse. (The lexicon
    /// matches words by a 24-bit fingerprint, so a string that is no word can, very rarely,
    /// pass for one there; the filter knows only the real words, so such a string no longer
    /// opens a region.) Debug builds check every "no" against the lattice itself.
    ///
    /// Example: for the Taiwan phrase 文件 (→ 檔案), 中文 ends inside it, so (中, 文) is set;
    /// 件數 starts inside it, so (件, 數) is set. In 此文件中 neither (此, 文) nor (件, 中) is,
    /// so the key is converted without looking at the lexicon.
    func crossingFilter(words: [[UInt32]]) -> (bits: UInt32, words: [UInt32]) {
        // What follows each prefix of a word or key, and what precedes each suffix of a word,
        // by the prefix's (suffix's) hash.
        var following: [UInt64: Set<UInt32>] = [:]
        var preceding: [UInt64: Set<UInt32>] = [:]
        for word in words {
            for length in 1..<max(1, word.count) {
                following[Self.hash(word[..<length]), default: []].insert(word[length])
                preceding[Self.hash(word[(word.count - length)...]), default: []].insert(word[word.count - length - 1])
            }
        }
        let allKeys = keys
        let opaqueKeys = allKeys.filter { !nodes[$0.node].isTransparent }.map(\.scalars)
        for key in allKeys.map(\.scalars) {
            for length in 1..<key.count { following[Self.hash(key[..<length]), default: []].insert(key[length]) }
        }

        // Distinct suffixes (without the first scalar) and prefixes (without the last) of the
        // opaque keys: many keys share them.
        var suffixes: Set<[UInt32]> = []
        var prefixes: Set<[UInt32]> = []
        for key in opaqueKeys {
            for start in 1..<key.count { suffixes.insert(Array(key[start...])) }
            for end in 1..<key.count { prefixes.insert(Array(key[..<end])) }
        }
        var pairs: Set<UInt64> = []
        for suffix in suffixes {
            for next in following[Self.hash(suffix[...])] ?? [] {
                pairs.insert(UInt64(suffix.last!) << 32 | UInt64(next))
            }
        }
        let beforeTag: UInt64 = 1 << 63
        for prefix in prefixes {
            for previous in preceding[Self.hash(prefix[...])] ?? [] {
                pairs.insert(beforeTag | UInt64(previous) << 32 | UInt64(prefix.first!))
            }
        }

        let bits = TableFormat.crossingFilterBits(pairs: pairs.count)
        var filter = [UInt32](repeating: 0, count: 1 << (Int(bits) - 5))
        for pair in pairs {
            let (first, second) = TableFormat.crossingBits(UInt32(truncatingIfNeeded: pair >> 32) & 0x7FFF_FFFF,
                                                           UInt32(truncatingIfNeeded: pair), before: pair & beforeTag != 0,
                                                           bits: bits)
            filter.setBit(first)
            filter.setBit(second)
        }
        return (bits, filter)
    }

    /// Every key of two or more scalars, with its node.
    private var keys: [(scalars: [UInt32], node: Int)] {
        var keys: [(scalars: [UInt32], node: Int)] = []
        var pending: [(scalars: [UInt32], node: Int)] = [([], 1)]
        while let (scalars, node) = pending.popLast() {
            if scalars.count >= 2 && nodes[node].value != nil { keys.append((scalars, node)) }
            for (scalar, child) in nodes[node].children { pending.append((scalars + [scalar], child)) }
        }
        return keys
    }

    /// FNV-1a over scalars: equal strings hash alike, and a collision only sets a bit more.
    private static func hash(_ scalars: ArraySlice<UInt32>) -> UInt64 {
        scalars.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}
