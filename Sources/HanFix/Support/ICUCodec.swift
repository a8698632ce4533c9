import CHanFixICU

/// Owns one of ICU's converters: the single way HanFix reaches a legacy encoding, for
/// streams (``LegacyDecodingStage``, ``OutputEncodingStage``) and for the short strings the
/// mojibake recipes re-encode.
final class ICUCodec {
    let encoding: String
    let pointer: OpaquePointer

    /// Opens ICU's converter for `encoding`; throws ``HanFixError/unknownEncoding(_:)``.
    init(encoding: String) throws {
        var status: Int32 = 0
        guard let codec = hanfix_icu_codec_open(encoding, &status) else {
            throw HanFixError.unknownEncoding(encoding)
        }
        self.encoding = encoding
        pointer = codec
    }

    deinit { hanfix_icu_codec_close(pointer) }

    /// The UTF-8 form of `bytes`, or nil when any byte sequence is illegal, unassigned, or
    /// decodes to a private-use code point (how ICU's GBK and Big5 decoders pass over
    /// unassigned pairs). One whole string: nothing is kept for a next call.
    func decodeWhole(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let capacity = bytes.count * 3 + 16
        var failed = false
        let result = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var consumed: Int32 = 0, status: Int32 = 0, privateUse = Int32.min
            let written = hanfix_icu_decode(pointer, bytes.baseAddress, Int32(bytes.count), buffer.baseAddress,
                                            Int32(capacity), 1, &consumed, &status, &privateUse)
            failed = status != 0 || privateUse != Int32.min
            count = failed ? 0 : Int(written)
        }
        return failed ? nil : result
    }

    /// `utf8` (well-formed, whole scalars) in this encoding, or nil when a character has no
    /// mapping in it.
    func encodeWhole(_ utf8: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let capacity = utf8.count * 4 + 16
        var failed = false
        let result = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            var consumed: Int32 = 0, status: Int32 = 0
            let written = hanfix_icu_encode(pointer, utf8.baseAddress, Int32(utf8.count), buffer.baseAddress,
                                            Int32(capacity), 1, 0, &consumed, &status)
            failed = status != 0
            count = failed ? 0 : Int(written)
        }
        return failed ? nil : result
    }
}
