import HanFixTableFormat

/// The segmentation lexicon: how likely a string of one to four Han characters is as a word.
///
/// Costs are negative log frequencies from jieba's word counts (see
/// `Data/tables/lexicon/PROVENANCE.md`), in both scripts, so the cheapest segmentation of a
/// span is its most probable one. The table is embedded data; a lookup hashes the scalars and
/// probes a few slots, and the prefix and suffix filters answer most "is there a word of this
/// length starting (ending) with these two characters" questions with one load.
struct Lexicon: @unchecked Sendable {
    // @unchecked: the pointers address the immutable embedded tables.
    private let slots: UnsafePointer<UInt32>
    private let mask: UInt32
    private let prefixFilter: UnsafePointer<UInt32>
    private let suffixFilter: UnsafePointer<UInt32>
    private let singleCosts: UnsafePointer<UInt8>
    /// The cost of a string the lexicon does not know: that of a word seen once.
    let unknownCost: UInt32

    init(tables: CompiledTables) {
        typealias Header = TableFormat.HeaderField
        slots = tables.pointer(at: tables.word(Header.lexiconOffset.rawValue), as: UInt32.self)
        mask = tables.word(Header.lexiconMask.rawValue)
        prefixFilter = tables.pointer(at: tables.word(Header.lexiconPrefixFilterOffset.rawValue), as: UInt32.self)
        suffixFilter = tables.pointer(at: tables.word(Header.lexiconSuffixFilterOffset.rawValue), as: UInt32.self)
        unknownCost = tables.word(Header.lexiconUnknownCost.rawValue)
        singleCosts = tables.pointer(at: tables.word(Header.lexiconSingleCostsOffset.rawValue), as: UInt8.self)
    }

    /// The cost of the word made of `count` scalars at `scalars`, or nil when it is no word.
    /// Complexity: O(count) plus a short probe.
    func cost(_ scalars: UnsafePointer<UInt32>, count: Int) -> UInt32? {
        let dense = scalars[0] &- TableFormat.Lexicon.denseSingleStart
        if count == 1 && dense < TableFormat.Lexicon.denseSingleCount {
            let cost = singleCosts[Int(dense)]
            return cost == TableFormat.Lexicon.noCost ? nil : UInt32(cost)
        }
        let hash = TableFormat.Lexicon.hash(scalars, count: count)
        let fingerprint = TableFormat.Lexicon.fingerprint(hash)
        var slot = TableFormat.Lexicon.homeSlot(hash, mask: mask)
        while true {
            let entry = slots[Int(slot)]
            if entry == 0 { return nil }
            if entry >> 8 == fingerprint { return entry & 0xFF }
            slot = (slot &+ 1) & mask
        }
    }

    /// Whether some word of `length` scalars (two or more) may start with `first`, `second`.
    @inline(__always)
    func mayStart(_ first: UInt32, _ second: UInt32, length: Int) -> Bool {
        prefixFilter.hasBits(TableFormat.Lexicon.filterBits(first, second, length: length))
    }

    /// Whether some word of `length` scalars (two or more) may end with `first`, `second`.
    @inline(__always)
    func mayEnd(_ first: UInt32, _ second: UInt32, length: Int) -> Bool {
        suffixFilter.hasBits(TableFormat.Lexicon.filterBits(first, second, length: length))
    }
}
