import HanFixTableFormat

/// Appends little-endian words and lets earlier words be patched once offsets are known.
struct TableWriter {
    private(set) var bytes: [UInt8] = []

    var offset: UInt32 { UInt32(bytes.count) }

    mutating func append(_ word: UInt32) {
        withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append8(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func append16(_ half: UInt16) {
        withUnsafeBytes(of: half.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Reserves `count` zero words and returns the offset of the first.
    mutating func reserve(words count: Int) -> UInt32 {
        defer { bytes.append(contentsOf: repeatElement(0, count: count * 4)) }
        return offset
    }

    mutating func patch(_ recordOffset: UInt32, field: Int, _ word: UInt32) {
        let at = Int(recordOffset) + field * 4
        withUnsafeBytes(of: word.littleEndian) { raw in
            for index in 0..<4 { bytes[at + index] = raw[index] }
        }
    }

    /// Pads to a multiple of 16 bytes, so that any array that follows can be bound in place.
    mutating func align() {
        while bytes.count % 16 != 0 { bytes.append(0) }
    }

    /// Writes a two-stage table over the scalar pages and returns (stage1, stage2) offsets.
    /// `blockWords` words describe each 256-scalar page; pages absent from `pages` share
    /// the all-zero block 0.
    mutating func appendTwoStageTable(
        pages: [UInt32: [UInt32]], blockWords: Int
    ) -> (stage1: UInt32, stage2: UInt32) {
        align()
        let sortedPages = pages.keys.sorted()
        var blockOfPage = [UInt32: UInt16]()
        for (index, page) in sortedPages.enumerated() { blockOfPage[page] = UInt16(index + 1) }
        let stage1 = offset
        for page in 0..<UInt32(TableFormat.pageCount) { append16(blockOfPage[page] ?? 0) }
        align()
        let stage2 = offset
        for _ in 0..<blockWords { append(0) }  // block 0: the empty page
        for page in sortedPages {
            let words = pages[page]!
            precondition(words.count == blockWords)
            for word in words { append(word) }
        }
        return (stage1, stage2)
    }
}
