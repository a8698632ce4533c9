import HanFixTableFormat

/// What HanFix knows of a character for scoring text: how frequent it is, which script it
/// belongs to, which pairs of characters form words, and which unified ideograph a radical
/// or compatibility ideograph stands for. Built from Unihan and OpenCC by `hanfix-tables`.
struct CharacterProfileTable: @unchecked Sendable {
    // @unchecked: the pointers address the immutable embedded tables.
    private let stage1: UnsafePointer<UInt16>
    private let stage2: UnsafePointer<UInt8>
    private let phraseBigrams: UnsafePointer<UInt32>
    private let equivalents: UnsafeBufferPointer<UInt32>

    static let embedded = CharacterProfileTable(tables: .embedded)

    init(tables: CompiledTables) {
        typealias Header = TableFormat.HeaderField
        stage1 = tables.pointer(at: tables.word(Header.profileStage1Offset.rawValue), as: UInt16.self)
        stage2 = tables.pointer(at: tables.word(Header.profileStage2Offset.rawValue), as: UInt8.self)
        phraseBigrams = tables.pointer(at: tables.word(Header.phraseBigramsOffset.rawValue), as: UInt32.self)
        equivalents = UnsafeBufferPointer(
            start: tables.pointer(at: tables.word(Header.equivalentsOffset.rawValue), as: UInt32.self),
            count: 2 * Int(tables.word(Header.equivalentsCount.rawValue)))
    }

    /// The character's ``TableFormat/CharacterProfile`` byte: its tier and script bits.
    @inline(__always)
    func profile(_ scalar: UInt32) -> UInt8 {
        guard scalar < 0x11_0000 else { return 0 }
        return stage2[Int(stage1[Int(scalar >> 8)]) << 8 | Int(scalar & 0xFF)]
    }

    /// 7 for the most frequent Han characters down to 1 for rare ones; 0 for anything else.
    @inline(__always)
    func tier(_ scalar: UInt32) -> Int {
        let tier = Int(profile(scalar) & TableFormat.CharacterProfile.tierMask)
        return tier == 0 && Self.isHan(scalar) ? 1 : tier
    }

    /// Whether the character has a different Traditional form (发, 区).
    func isSimplifiedOnly(_ scalar: UInt32) -> Bool {
        profile(scalar) & TableFormat.CharacterProfile.simplifiedOnlyBit != 0
    }

    /// Whether the character has a different Simplified form (發, 區).
    func isTraditionalOnly(_ scalar: UInt32) -> Bool {
        profile(scalar) & TableFormat.CharacterProfile.traditionalOnlyBit != 0
    }

    /// Whether `first` then `second` occur inside some dictionary word (a Bloom filter: about
    /// 1% of other pairs also answer yes).
    @inline(__always)
    func isPhraseBigram(_ first: UInt32, _ second: UInt32) -> Bool {
        let (a, b) = TableFormat.phraseBigramBits(first, second)
        return phraseBigrams[Int(a >> 5)] >> (a & 31) & 1 != 0 && phraseBigrams[Int(b >> 5)] >> (b & 31) & 1 != 0
    }

    /// The unified ideograph a Kangxi radical, CJK Radicals Supplement character or CJK
    /// Compatibility Ideograph stands for. Complexity: O(log n).
    func equivalent(of scalar: UInt32) -> UInt32? {
        var low = 0, high = equivalents.count / 2
        while low < high {
            let middle = (low + high) / 2
            let source = equivalents[2 * middle]
            if source == scalar { return equivalents[2 * middle + 1] }
            if source < scalar { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// CJK Unified Ideographs with extensions A–H, and the compatibility ideographs.
    @inline(__always)
    static func isHan(_ scalar: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(scalar) || (0x3400...0x4DBF).contains(scalar) || (0xF900...0xFAFF).contains(scalar)
            || (0x2_0000...0x3_FFFF).contains(scalar)
    }
}
