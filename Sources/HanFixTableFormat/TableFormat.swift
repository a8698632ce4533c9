/// The layout of `Data/tables/compiled/hanfix.tables`, shared by its reader (`HanFix`) and its
/// writer (`HanFixTableCompiler`).
///
/// The file is a sequence of little-endian 32-bit words (16-bit for the first-character
/// stage-one index), aligned so that every array can be bound in place: the engine reads it
/// straight out of the binary image with no parsing or copying at startup.
///
/// ```
/// header          8 words   magic, version, matcherCount, matcherDirectory,
///                           configCount, configDirectory, poolOffset, poolLength
/// matcher records 32 words each (``TableFormat/MatcherField``)
/// config records  32 words each (``TableFormat/ConfigField``)
/// arrays          stage tables, trie nodes, child lists, key-character bitmaps
/// pool            UTF-8 names and replacement values
/// ```
///
/// A *matcher* is one step of OpenCC's conversion: a group of dictionaries merged into one trie
/// over Unicode scalars. Its first level is a two-stage table indexed by the first scalar, so
/// the common case (a character that starts no key) costs two loads.
public enum TableFormat {
    public static let magic: UInt32 = 0x4254_4648  // "HFTB"
    public static let version: UInt32 = 2
    public static let headerWords = 8
    public static let recordWords = 32
    /// Scalars are split into 256-scalar pages for the two-stage tables.
    public static let pageShift: UInt32 = 8
    public static let pageCount = 0x110000 >> 8
    /// Marks an absent matcher index in a config record.
    public static let none: UInt32 = 0xFFFF_FFFF
    /// Chains longer than this are rejected by the compiler; OpenCC's longest has two steps.
    public static let maxChainLength = 4

    public enum HeaderField: Int {
        case magic, version, matcherCount, matcherDirectory, configCount, configDirectory
        case poolOffset, poolLength
    }

    public enum MatcherField: Int {
        case nameOffset, nameLength
        /// `UInt16[pageCount]`: page → block number in the stage-two array (0 is all empty).
        case stage1Offset
        /// `UInt32[blocks * 256]`: trie node of the key's first scalar, 0 when none.
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
    }

    public enum ConfigField: Int {
        case nameOffset, nameLength, descriptionOffset, descriptionLength
        case normalization, segmentation, chainLength
        case chain0, chain1, chain2, chain3
        /// Two-stage bitmap of every scalar that occurs anywhere in any key of the config:
        /// `UInt16[pageCount]` page → block, then `UInt32[blocks * 8]` bits.
        case keyScalarsStage1Offset, keyScalarsBitsOffset
    }

    /// A trie node: four words.
    public struct Node {
        public var valueOffset: UInt32
        /// Low 16 bits: value length in bytes. Bits 16–23: priority (lower wins a
        /// `short_circuit` group). Bit 24: the node ends a key.
        public var valueInfo: UInt32
        public var childStart: UInt32
        public var childCount: UInt32

        public static let terminalBit: UInt32 = 1 << 24

        public init(valueOffset: UInt32, valueInfo: UInt32, childStart: UInt32, childCount: UInt32) {
            self.valueOffset = valueOffset
            self.valueInfo = valueInfo
            self.childStart = childStart
            self.childCount = childCount
        }
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
