import HanFixTableFormat

/// The Mandarin readings of Han characters (from Unihan), embedded in the compiled tables.
struct ReadingsTable: @unchecked Sendable {
    // @unchecked: the pointers address the immutable embedded tables.
    typealias Entry = TableFormat.ReadingsEntry

    private let stage1: UnsafePointer<UInt16>
    private let stage2: UnsafePointer<UInt32>
    private let pool: UnsafePointer<UInt8>

    static let embedded = ReadingsTable(tables: .embedded)

    init(tables: CompiledTables) {
        stage1 = tables.pointer(at: tables.word(TableFormat.HeaderField.readingsStage1Offset.rawValue), as: UInt16.self)
        stage2 = tables.pointer(at: tables.word(TableFormat.HeaderField.readingsStage2Offset.rawValue), as: UInt32.self)
        pool = tables.poolBase
    }

    private func entry(_ scalar: UInt32) -> UInt32 {
        guard scalar < 0x11_0000 else { return 0 }
        return stage2[Int(stage1[Int(scalar >> 8)]) << 8 | Int(scalar & 0xFF)]
    }

    /// The character's readings, e.g. ["qu1", "ou1"], empty when Unihan gives none.
    func readings(of scalar: UInt32) -> [Substring] {
        let entry = self.entry(scalar)
        let length = Int(entry >> Entry.lengthShift & 0xFF)
        guard length > 0 else { return [] }
        let bytes = UnsafeBufferPointer(start: pool + Int(entry & Entry.offsetMask), count: length)
        return String(decoding: bytes, as: UTF8.self).split(separator: " ")
    }

    /// Whether `letters` (pinyin letters without tone) with `tone` (0: any) is a reading of
    /// `scalar`. Compares bytes in the table; allocates nothing.
    func hasReading(_ scalar: UInt32, letters: ArraySlice<UInt8>, tone: UInt8) -> Bool {
        let entry = self.entry(scalar)
        let length = Int(entry >> Entry.lengthShift & 0xFF)
        guard length > 0 else { return false }
        let readings = pool + Int(entry & Entry.offsetMask)
        var start = 0
        while start < length {
            var end = start
            while end < length && readings[end] != 0x20 { end += 1 }
            // A reading is its letters then one tone digit.
            let readingLetters = end - start - 1
            if readingLetters == letters.count
                && (tone == 0 || readings[end - 1] == 0x30 + tone)
                && letters.indices.allSatisfy({ readings[start + $0 - letters.startIndex] == letters[$0] }) {
                return true
            }
            start = end + 1
        }
        return false
    }

    /// A bit per letter (a = bit 0) that some reading of `scalar` begins with: a cheap first
    /// test before ``hasReading(_:letters:tone:)``.
    func initialLetters(of scalar: UInt32) -> UInt32 {
        let entry = self.entry(scalar)
        let length = Int(entry >> Entry.lengthShift & 0xFF)
        let readings = pool + Int(entry & Entry.offsetMask)
        var mask: UInt32 = 0
        var atStart = true
        for index in 0..<length {
            let byte = readings[index]
            if atStart && byte >= 0x61 && byte <= 0x7A { mask |= 1 << UInt32(byte - 0x61) }
            atStart = byte == 0x20
        }
        return mask
    }

    /// Which script a character belongs to alone, if any.
    func script(of scalar: UInt32) -> ScriptAffinity {
        let entry = self.entry(scalar)
        if entry & Entry.traditionalOnlyBit != 0 { return .traditional }
        if entry & Entry.simplifiedOnlyBit != 0 { return .simplified }
        return .shared
    }
}

/// Whether a Han character is written in one script only.
enum ScriptAffinity: String, Sendable {
    /// Traditional only: it has a different Simplified form (區 → 区).
    case traditional
    /// Simplified only: it has a different Traditional form (区 → 區).
    case simplified
    /// Written the same in both scripts (社, 行).
    case shared
}
