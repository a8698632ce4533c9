import HanFixTableFormat

/// GBK or Big5 as the mojibake recipes need them: character by character through ICU, with
/// the answers cached, and, for Big5, the ETEN extensions (kana,
/// Cyrillic, ⑴ …) that browsers and Python decode but ICU's windows-950 maps to private use.
final class DoubleByteCodec {
    private let icu: ICUCodec
    private let extensionByPair: [UInt32: UInt32]
    private let pairByScalar: [UInt32: UInt32]
    /// Scalar → ``encode(_:)`` code; pair → scalar (0 when it has none).
    private var encodeCache: [UInt32: UInt32] = [:]
    private var decodeCache: [UInt32: UInt32] = [:]

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

    /// `scalar` in this encoding as a code: 0 when the encoding cannot hold it, otherwise its
    /// bytes (one or two, the first in bits 8–15) with the length in bits 16–23. Answers are
    /// cached: text is tried again and again with the same few thousand characters.
    func encode(_ scalar: UInt32) -> UInt32 {
        if let cached = encodeCache[scalar] { return cached }
        var code: UInt32 = 0
        if let pair = pairByScalar[scalar] {
            code = 2 << 16 | pair
        } else if let character = Unicode.Scalar(scalar),
                  let bytes = Array(String(character).utf8).withUnsafeBufferPointer(icu.encodeWhole) {
            if bytes.count == 1 { code = 1 << 16 | UInt32(bytes[0]) }
            if bytes.count == 2 { code = 2 << 16 | UInt32(bytes[0]) << 8 | UInt32(bytes[1]) }
        }
        encodeCache[scalar] = code
        return code
    }

    /// The number of bytes of an ``encode(_:)`` code (0: none).
    static func length(of code: UInt32) -> Int { Int(code >> 16) }

    /// The scalars `bytes` decode to, strictly (no private use), or nil. Single bytes below
    /// 0x80 are ASCII; other characters are two bytes (GBK's four-byte GB18030 forms are not
    /// used by these recipes).
    func decode(_ bytes: [UInt8]) -> [UInt32]? {
        var result: [UInt32] = []
        result.reserveCapacity(bytes.count / 2)
        var cursor = 0
        while cursor < bytes.count {
            if bytes[cursor] < 0x80 {
                result.append(UInt32(bytes[cursor]))
                cursor += 1
                continue
            }
            guard cursor + 1 < bytes.count, let scalar = decodePair(UInt32(bytes[cursor]) << 8 | UInt32(bytes[cursor + 1])) else {
                return nil
            }
            result.append(scalar)
            cursor += 2
        }
        return result
    }

    private func decodePair(_ pair: UInt32) -> UInt32? {
        if let cached = decodeCache[pair] { return cached == 0 ? nil : cached }
        var scalar = extensionByPair[pair]
        if scalar == nil {
            let bytes: [UInt8] = [UInt8(pair >> 8), UInt8(pair & 0xFF)]
            if let decoded = bytes.withUnsafeBufferPointer(icu.decodeWhole) {
                let scalars = String(decoding: decoded, as: UTF8.self).unicodeScalars
                if scalars.count == 1 { scalar = scalars.first!.value }
            }
        }
        decodeCache[pair] = scalar ?? 0
        return scalar
    }
}
