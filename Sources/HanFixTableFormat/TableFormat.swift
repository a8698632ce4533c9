/// The layout of `Data/tables/compiled/hanfix.tables`, shared by its reader (`HanFix`) and its
/// writer (`HanFixTableCompiler`).
///
/// The file is a sequence of little-endian 32-bit words (16-bit for the first-character
/// stage-one index), aligned so that every array can be bound in place: the engine reads it
/// straight out of the binary image with no parsing or copying at startup.
///
/// ```
/// header         32 words   magic, version, matcherCount, matcherDirectory,
///                           configCount, configDirectory, poolOffset, poolLength,
///                           readings tables (``HeaderField``)
/// matcher records 32 words each (``TableFormat/MatcherField``)
/// config records  32 words each (``TableFormat/ConfigField``)
/// arrays          stage tables, trie nodes, child lists, key-character bitmaps
/// pool            UTF-8 names and replacement values
/// ```
///
/// A *matcher* is one step of OpenCC's conversion: a group of dictionaries merged into one trie
/// over Unicode scalars. Its first level is a two-stage table indexed by the first scalar whose
/// ``Entry`` holds a one-scalar key's value inline, and a bigram filter tells whether a longer
/// key can start with the first two scalars. The common cases (a character that starts no key,
/// or only a one-scalar key) cost three loads from small, cache-resident tables; only a likely
/// phrase walks the trie.
public enum TableFormat {
    public static let magic: UInt32 = 0x4254_4648  // "HFTB"
    public static let version: UInt32 = 16
    public static let headerWords = 32
    public static let recordWords = 32
    /// Scalars are split into 256-scalar pages for the two-stage tables.
    public static let pageShift: UInt32 = 8
    public static let pageCount = 0x110000 >> 8
    /// Marks an absent matcher index in a config record.
    public static let none: UInt32 = 0xFFFF_FFFF
    /// Keys longer than this, in scalars, are rejected by the compiler (OpenCC's longest has
    /// 15); streams rely on it to know how far a match can reach.
    public static let maximumKeyScalars = 32
    /// Chains longer than this are rejected by the compiler; OpenCC's longest has two steps.
    public static let maxChainLength = 4

    public enum HeaderField: Int {
        case magic, version, matcherCount, matcherDirectory, configCount, configDirectory
        case poolOffset, poolLength
        /// The Mandarin readings of each Han character, for pinyin-annotation repair: a
        /// two-stage table (`UInt16[pageCount]`, then `UInt32[blocks * 256]`) of
        /// ``ReadingsEntry`` words.
        case readingsStage1Offset, readingsStage2Offset
        /// Each scalar's ``CharacterProfile`` byte, for scoring text: a two-stage table
        /// (`UInt16[pageCount]`, then `UInt8[blocks * 256]`).
        case profileStage1Offset, profileStage2Offset
        /// `UInt32[phraseBigramWords]`: a Bloom filter (two bits per entry, see
        /// ``phraseBigramBits(_:_:)``) of every pair of adjacent characters inside a word of
        /// OpenCC's dictionaries, keys and values, in both scripts.
        case phraseBigramsOffset
        /// `UInt32[2 * equivalentsCount]`: (radical or compatibility ideograph, unified
        /// ideograph) pairs sorted by the first.
        case equivalentsOffset, equivalentsCount
        /// `UInt32[2 * big5ExtensionCount]`: (Big5 byte pair, scalar) of the ETEN extensions
        /// ICU lacks, sorted by the pair.
        case big5ExtensionOffset, big5ExtensionCount
        /// The segmentation lexicon (``Lexicon``): `UInt32[lexiconMask + 1]` slots, then a
        /// prefix and a suffix filter of `filterWords` words each.
        case lexiconOffset, lexiconMask, lexiconPrefixFilterOffset, lexiconSuffixFilterOffset
        /// The cost of a word or character the lexicon does not know.
        case lexiconUnknownCost
        /// `UInt8[Lexicon.denseSingleCount]`: the cost of each one-character word from
        /// ``Lexicon/denseSingleStart``, ``Lexicon/noCost`` where it is none.
        case lexiconSingleCostsOffset
    }

    /// The segmentation lexicon: words of one to four Han characters with a cost, the
    /// negative log of their corpus frequency, so that the cheapest segmentation of a span is
    /// its most probable one.
    ///
    /// An open-addressing table of `UInt32` slots: bits 8–31 a fingerprint of the word's
    /// ``hash(_:count:)`` (never 0, which marks an empty slot), bits 0–7 its cost. Collisions
    /// of 24-bit fingerprints along one probe sequence are too rare to matter for a cost.
    /// Two Bloom filters, indexed by ``filterBits(_:_:length:)``, say whether a word of a given
    /// length (two to four) may start, or end, with a given pair, so that most lookups cost one
    /// load instead of a probe that misses the cache.
    public enum Lexicon {
        /// Costs are `costScale` times the natural log of total count over the word's count.
        public static let costScale = 8.0
        public static let maximumWordScalars = 4
        /// Marks a character with no one-character word in the dense table, whose costs are below it.
        public static let noCost: UInt8 = 0xFF

        /// One-character words of CJK Extension A and the Unified Ideographs block
        /// (U+3400–U+9FFF) have their cost in a dense byte table (27 KiB), which stays in
        /// cache where probing the slot table would miss it: the lattice asks for the cost of
        /// every character of a region.
        public static let denseSingleStart: UInt32 = 0x3400
        public static let denseSingleCount = 0xA000 - 0x3400

        /// A 64-bit hash of a word's scalars (FNV-1a over scalars, then a final mix).
        @inline(__always)
        public static func hash(_ scalars: UnsafePointer<UInt32>, count: Int) -> UInt64 {
            var hash: UInt64 = 0xCBF2_9CE4_8422_2325
            for index in 0..<count { hash = (hash ^ UInt64(scalars[index])) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ hash >> 29) &* 0xBF58_476D_1CE4_E5B9
            return hash ^ hash >> 32
        }

        @inline(__always)
        public static func fingerprint(_ hash: UInt64) -> UInt32 {
            max(1, UInt32(truncatingIfNeeded: hash >> 40))
        }

        /// The prefix and suffix filters' size: 2^20 bits, 128 KiB each (about 15 % of the bits set).
        public static let filterBitCount: UInt32 = 20
        public static var filterWords: Int { 1 << (Int(filterBitCount) - 5) }

        /// The two filter bits of a word of `length` scalars starting (or ending) with
        /// `first`, `second`. They lie in one 512-bit line chosen by the pair alone, so that
        /// asking about every length of a pair loads one cache line; two bits per entry keep
        /// false positives (each a wasted probe of the slot table) near 4 %.
        @inline(__always)
        public static func filterBits(_ first: UInt32, _ second: UInt32, length: Int) -> (UInt32, UInt32) {
            let line = bigramHash(first, second, bits: filterBitCount - 9)
            let inner = (first &* 0x2545_F491 ^ second &* 0x9E37_79B9 ^ UInt32(truncatingIfNeeded: length) &* 0x85EB_CA77)
                &* 0x27D4_EB2F
            return (line << 9 | inner >> 23, line << 9 | inner >> 14 & 0x1FF)
        }

        @inline(__always)
        public static func homeSlot(_ hash: UInt64, mask: UInt32) -> UInt32 {
            UInt32(truncatingIfNeeded: hash) & mask
        }
    }

    /// A scalar's profile byte: bits 0–2 its frequency tier (7 most frequent, 1 a rare Han
    /// character, 0 not a Han character); bits 3 and 4 set when OpenCC's character tables
    /// always convert it (to Traditional, to Simplified); bit 6 set when it is a
    /// Simplified-only form, bit 7 when Traditional-only.
    public enum CharacterProfile {
        public static let tierMask: UInt8 = 0x07
        /// OpenCC's STCharacters always converts the character: none of its candidates is
        /// itself (发, 坏; not 据 → 據 据, which Traditional text writes too), and it is no
        /// Taiwan or Hong Kong standard form (not 群, OpenCC's 羣).
        public static let convertedByS2TBit: UInt8 = 1 << 3
        /// OpenCC's TSCharacters always converts the character (發; not 於 → 于 於).
        public static let convertedByT2SBit: UInt8 = 1 << 4
        public static let simplifiedOnlyBit: UInt8 = 1 << 6
        public static let traditionalOnlyBit: UInt8 = 1 << 7
    }

    /// The phrase-bigram filter's size: 2^22 bits, 512 KiB.
    public static let phraseBigramBitCount: UInt32 = 22
    public static var phraseBigramWords: Int { 1 << (Int(phraseBigramBitCount) - 5) }

    /// The two bits of the phrase-bigram filter for the pair `first`, `second`.
    @inline(__always)
    public static func phraseBigramBits(_ first: UInt32, _ second: UInt32) -> (UInt32, UInt32) {
        let hash = UInt64(first) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(second) &* 0xC2B2_AE3D_27D4_EB4F
        let mixed = (hash ^ hash >> 29) &* 0xBF58_476D_1CE4_E5B9
        return (UInt32(truncatingIfNeeded: mixed >> 42), UInt32(truncatingIfNeeded: mixed >> 10) & (1 << phraseBigramBitCount - 1))
    }

    /// A character's readings: bits 0–21 the pool offset of its readings, space-separated
    /// ``Pinyin`` spellings such as `qu1 ou1`; bits 22–29 their length in bytes; bit 30 set
    /// when the character is Simplified-only (it has a different Traditional form); bit 31
    /// set when it is Traditional-only. 0: no reading.
    public enum ReadingsEntry {
        public static let offsetMask: UInt32 = (1 << 22) - 1
        public static let lengthShift: UInt32 = 22
        public static let simplifiedOnlyBit: UInt32 = 1 << 30
        public static let traditionalOnlyBit: UInt32 = 1 << 31
    }

    public enum MatcherField: Int {
        case nameOffset, nameLength
        /// `UInt16[pageCount]`: page → block number in the stage-two array (0 is all empty).
        case stage1Offset
        /// ``Entry``[blocks * 256]: what keys start with the scalar; all zero when none.
        case stage2Offset
        /// ``Node`` records; node 0 is a placeholder so that 0 can mean "no node".
        case nodesOffset, nodeCount
        /// ``Child`` records, sorted by scalar within each node's range.
        case childrenOffset, childCount
        /// The longest key, in scalars.
        case maxKeyScalars
        /// An upper bound on output bytes per input byte.
        case maxExpansion
        /// 128-bit mask of ASCII bytes that begin some key.
        case asciiStartMask0, asciiStartMask1, asciiStartMask2, asciiStartMask3
        /// 256-bit mask of the UTF-8 lead bytes of every key's first scalar, in eight words:
        /// a buffer with none of them cannot match, and is skipped without decoding.
        case leadByteMask0
        /// `UInt32[2^bigramFilterBits / 32]`: bit ``bigramHash(_:_:bits:)`` is set for the first
        /// two scalars of every key of two or more scalars; 0 when the matcher has no such key.
        case bigramFilterOffset = 22
        /// ``BigramSlot``[bigramTableMask + 1]: an open-addressing table (linear probing) of
        /// every key prefix of two scalars, with its trie node and value, so that the trie
        /// walk starts at depth two; 0 when the matcher has no key of two or more scalars.
        case bigramTableOffset, bigramTableMask
        /// `UInt32[3 * alternativesCount]`: (scalar, pool offset, length) of each one-scalar
        /// key with more than one candidate, sorted by scalar; the pool string is every
        /// candidate, space-separated, the chosen one first.
        case alternativesOffset, alternativesCount
        /// The bigram filter's size in bits, log 2 (``bigramFilterBits(pairs:)``).
        case bigramFilterBits
        /// `UInt32[2^crossingFilterBits / 32]`: HanFix's engine's crossing filter
        /// (``crossingBits(_:_:before:bits:)``); 0 in matchers that no `hanfix:` config runs with the lexicon.
        case crossingFilterOffset
        /// The crossing filter's size in bits, log 2 (``crossingFilterBits(pairs:)``).
        case crossingFilterBits
    }

    /// A slot of the bigram table: four words. An empty slot has `first == 0`.
    public struct BigramSlot {
        public var first: UInt32
        public var second: UInt32
        /// The edges of the trie node after the two scalars, so that the walk goes on without
        /// loading the node: bits 0–23 the index of the first ``Child``, bits 24–31 their
        /// number (0 when no longer key starts with the two scalars).
        public var children: UInt32
        /// When the two scalars are a whole key: bits 0–20 its value's pool offset, 21–26 the
        /// value's length, 27–29 its priority, 30 set when the key is transparent (its value is
        /// its scalars' one-scalar values in turn), 31 set. Otherwise 0.
        public var value: UInt32

        public static let terminalBit: UInt32 = 1 << 31
        public static let transparentBit: UInt32 = 1 << 30

        public init(first: UInt32, second: UInt32, children: UInt32, value: UInt32) {
            self.first = first
            self.second = second
            self.children = children
            self.value = value
        }

        /// The ``children`` word for edges `start..<start + count`; nil when they do not fit.
        public static func packChildren(start: UInt32, count: UInt32) -> UInt32? {
            guard start < 1 << 24, count < 1 << 8 else { return nil }
            return start | count << 24
        }

        public var childStart: Int { Int(children & 0xFF_FFFF) }
        public var childCount: Int { Int(children >> 24) }
    }

    /// The home slot of a bigram in a table of `mask + 1` slots.
    @inline(__always)
    public static func bigramSlot(_ first: UInt32, _ second: UInt32, mask: UInt32) -> UInt32 {
        (first &* 0x2545_F491 ^ second &* 0x9E37_79B9) >> 7 & mask
    }

    /// The largest bigram filter: 2^20 bits, 128 KiB, about 5 % full for OpenCC's largest group.
    public static let maximumBigramFilterBits: UInt32 = 20

    /// The size of a bigram filter for `pairs` pairs, in bits (log 2): about 32 bits per pair
    /// (one false positive in thirty), up to ``maximumBigramFilterBits``. Small matchers get
    /// small filters, which keeps them in cache and out of the resident memory.
    public static func bigramFilterBits(pairs: Int) -> UInt32 {
        filterSize(entries: pairs, bitsPerEntry: 32, maximum: maximumBigramFilterBits)
    }

    /// The size, in bits (log 2), of a filter giving `bitsPerEntry` bits to each of `entries`:
    /// the smallest power of two that does, from 2^10 (two 512-bit lines) up to 2^`maximum`.
    public static func filterSize(entries: Int, bitsPerEntry: Int, maximum: UInt32) -> UInt32 {
        var bits: UInt32 = 10
        while bits < maximum && 1 << bits < entries * bitsPerEntry { bits += 1 }
        return bits
    }

    /// A 32-bit hash of a pair of scalars, whose top bits index the bigram filters.
    @inlinable @inline(__always)
    public static func bigramMix(_ first: UInt32, _ second: UInt32) -> UInt32 {
        first &* 0x9E37_79B1 ^ second &* 0x85EB_CA77
    }

    /// The bit of a bigram filter of 2^`bits` bits for a key starting with `first`, `second`.
    @inlinable @inline(__always)
    public static func bigramHash(_ first: UInt32, _ second: UInt32, bits: UInt32) -> UInt32 {
        // A masking shift: bigram filters have 2^10 to 2^20 bits, and the lexicon's filters
        // index their lines with 11 bits (``Lexicon/filterBits(_:_:length:)``), so the count
        // is 12…22 and `&>>` gives what `>>` would, without the test for counts of 32 and more.
        bigramMix(first, second) &>> (32 - bits)
    }

    /// The largest crossing filter: 2^21 bits, 256 KiB.
    public static let maximumCrossingFilterBits: UInt32 = 21

    /// The size of a crossing filter for `pairs` pairs, in bits (log 2): about 16 bits per
    /// pair, up to ``maximumCrossingFilterBits``.
    public static func crossingFilterBits(pairs: Int) -> UInt32 {
        filterSize(entries: pairs, bitsPerEntry: 16, maximum: maximumCrossingFilterBits)
    }

    /// The two bits of a crossing filter of 2^`bits` bits for a pair of scalars around a
    /// key: the scalar before the key and its first one (`before`), or its last one and the
    /// scalar after it. The two sides share the filter under different hashes; both bits lie
    /// in one 512-bit line, and two bits per pair keep false positives near 2 %.
    @inlinable @inline(__always)
    public static func crossingBits(_ first: UInt32, _ second: UInt32, before: Bool, bits: UInt32) -> (UInt32, UInt32) {
        let hash = (bigramMix(first, second) &+ (before ? 0x6A09_E667 : 0)) &* 0x2545_F491
        let line = (hash &>> (41 - bits)) << 9  // 20…31: `&>>` is `>>` here
        return (line | hash >> 2 & 0x1FF, line | hash >> 11 & 0x1FF)
    }

    /// A first-level entry: two words.
    public struct Entry {
        /// The UTF-8 value of the one-scalar key, when it fits in four bytes, little-endian.
        public var inlineValue: UInt32
        /// Bits 0–2: length of `inlineValue` (0: no inline value). Bit 3: longer keys start
        /// with this scalar. Bits 4–7: the one-scalar key's priority. Bit 8: the one-scalar
        /// key's value is too long to be inline and is in the trie node. Bit 9: the one-scalar
        /// key has other candidates. Bits 12–31: the trie node of the first scalar.
        public var info: UInt32

        public static let longerKeysBit: UInt32 = 1 << 3
        public static let nodeValueBit: UInt32 = 1 << 8
        /// The one-scalar key has other candidates (OpenCC lists 干 → 幹 乾 干).
        public static let alternativesBit: UInt32 = 1 << 9
        public static let nodeShift: UInt32 = 12

        public init(inlineValue: UInt32, info: UInt32) {
            self.inlineValue = inlineValue
            self.info = info
        }
    }

    public enum ConfigField: Int {
        case nameOffset, nameLength, descriptionOffset, descriptionLength
        case normalization, segmentation, chainLength
        case chain0, chain1, chain2, chain3
        /// Two-stage bitmap of every scalar that occurs anywhere in any key of the config:
        /// `UInt16[pageCount]` page → block, then `UInt32[blocks * 8]` bits.
        case keyScalarsStage1Offset, keyScalarsBitsOffset
        /// Segmentation keys are the keys of the `segmentation` matcher whose priority is at
        /// most this (0 when the segmentation dictionary is the first member of a chain
        /// step's `short_circuit` group, whose matcher is then shared; 255 for all keys).
        case segmentationMaxPriority
        /// The chain step whose matcher the segmentation shares, or ``TableFormat/none``.
        case segmentationStep
        /// 1 when the config segments with the ``Lexicon`` (HanFix's engine), else 0.
        case usesLexicon
        /// The script the config writes, when it converts between scripts and leaves text
        /// already in that script to ``withinTargetConfig`` (HanFix's engine): a
        /// ``TargetScript`` raw value, 0 for none.
        case targetScript
        /// The config that converts such text (for `hanfix:s2twp`, the derived
        /// `hanfix:s2twp@target`: Taiwan's phrases keeping Taiwan's own words, then its
        /// variants), or ``TableFormat/none`` to leave it unchanged.
        case withinTargetConfig
    }

    /// The script a script-converting config writes (``ConfigField/targetScript``).
    public enum TargetScript: UInt32, Sendable {
        case traditional = 1
        case simplified = 2
    }

    /// A trie node: four words.
    public struct Node {
        public var valueOffset: UInt32
        /// Low 16 bits: value length in bytes. Bits 16–23: priority (lower wins a
        /// `short_circuit` group). Bit 24: the node ends a key; 25: ``transparentBit``;
        /// 26: ``contextRuleBit``.
        public var valueInfo: UInt32
        public var childStart: UInt32
        public var childCount: UInt32

        public static let terminalBit: UInt32 = 1 << 24
        /// The key's value is its scalars' one-scalar values in turn.
        public static let transparentBit: UInt32 = 1 << 25
        /// The key is a context rule of HanFix's patches, which the lattice leaves as greedy
        /// matching found it. Keys of two scalars (bigram slots) have no such bit.
        public static let contextRuleBit: UInt32 = 1 << 26
    }

    /// An edge of the trie: two words.
    public struct Child {
        public var scalar: UInt32
        public var node: UInt32

        public init(scalar: UInt32, node: UInt32) {
            self.scalar = scalar
            self.node = node
        }
    }
}
