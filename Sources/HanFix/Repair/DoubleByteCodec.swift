import HanFixTableFormat

/// GBK or Big5 as the mojibake recipes need them: whole strings through ICU when it can,
/// character by character when it cannot, and, for Big5, the ETEN extensions (kana,
/// Cyrillic, ⑴ …) that browsers and Python decode but ICU's windows-950 maps to private use.
final class DoubleByteCodec {
    private let icu: ICUCodec
    private let extensionByPair: [UInt32: UInt32]
    private let pairByScalar: [UInt32: UInt32]

    /// GBK as Windows and most decoders read it.
    static func gbk() -> DoubleByteCodec? {
        (try? ICUCodec(encoding: "GBK")).map { DoubleByteCodec(icu: $0, extensions: []) }
    }

    /// Big5 (windows-950) with the ETEN extensions from the compiled tables.
    static func big5(tables: CompiledTables = .embedded) -> DoubleByteCodec? {
        guard let icu = try? ICUCodec(encoding: "Big5") else { return nil }
        let start = tables.pointer(at: tables.word(TableFormat.HeaderField.big5ExtensionOffset.rawValue), as: UInt32.self)
        let count = Int(tables.word(TableFormat.HeaderField.big5ExtensionCount.rawValue))
        let extensions = (0..<count).map { (start[2 * $0], start[2 * $0 + 1]) }
        return DoubleByteCodec(icu: icu, extensions: extensions)
    }

    private init(icu: ICUCodec, extensions: [(pair: UInt32, scalar: UInt32)]) {
        self.icu = icu
        extensionByPair = Dictionary(extensions.map { ($0.pair, $0.scalar) }, uniquingKeysWith: { first, _ in first })
        pairByScalar = Dictionary(extensions.map { ($0.scalar, $0.pair) }, uniquingKeysWith: { first, _ in first })
    }

    /// Each scalar's bytes, or nil for one the encoding cannot hold.
    func encode(_ scalars: ArraySlice<UInt32>) -> [[UInt8]?] {
        let utf8 = Array(String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init))).utf8)
        if let whole = utf8.withUnsafeBufferPointer(icu.encodeWhole) {
            // Split the bytes per character: one byte below 0x80, four when the second is a
            // GB18030 digit, otherwise two.
            var result: [[UInt8]?] = []
            var cursor = 0
            while cursor < whole.count {
                let length = whole[cursor] < 0x80 ? 1
                    : cursor + 1 < whole.count && (0x30...0x39).contains(whole[cursor + 1]) ? 4 : 2
                result.append(Array(whole[cursor..<min(cursor + length, whole.count)]))
                cursor += length
            }
            if result.count == scalars.count { return result }
        }
        return scalars.map { scalar in
            if let pair = pairByScalar[scalar] { return [UInt8(pair >> 8), UInt8(pair & 0xFF)] }
            let utf8 = Array(String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
            return utf8.withUnsafeBufferPointer(icu.encodeWhole)
        }
    }

    /// The scalars `bytes` decode to, strictly (no private use), or nil.
    func decode(_ bytes: [UInt8]) -> [UInt32]? {
        if let whole = bytes.withUnsafeBufferPointer(icu.decodeWhole) {
            return String(decoding: whole, as: UTF8.self).unicodeScalars.map(\.value)
        }
        guard !extensionByPair.isEmpty else { return nil }
        // Pair by pair, with the extensions.
        var result: [UInt32] = []
        var cursor = 0
        while cursor < bytes.count {
            let length = bytes[cursor] < 0x80 ? 1 : 2
            guard cursor + length <= bytes.count else { return nil }
            let piece = Array(bytes[cursor..<cursor + length])
            if length == 2, let scalar = extensionByPair[UInt32(piece[0]) << 8 | UInt32(piece[1])] {
                result.append(scalar)
            } else if let decoded = piece.withUnsafeBufferPointer(icu.decodeWhole) {
                result += String(decoding: decoded, as: UTF8.self).unicodeScalars.map(\.value)
            } else {
                return nil
            }
            cursor += length
        }
        return result
    }
}
