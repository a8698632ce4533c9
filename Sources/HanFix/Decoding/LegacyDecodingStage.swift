import CHanFixICU

/// Decodes a legacy encoding (GB18030, GBK, Big5, Big5-HKSCS, UTF-16, …) to UTF-8 with ICU,
/// strictly: an illegal or unmappable sequence is an error naming its byte offset, and so is
/// a character ICU decodes to a private-use code point, which is how its GBK and Big5
/// decoders pass over unassigned byte pairs. A sequence cut by a chunk boundary is kept
/// inside the ICU converter until the next chunk.
struct LegacyDecodingStage: StreamingStage {
    let encoding: String
    private let codec: ICUCodec
    /// Input bytes of the stream before the current chunk, for error offsets.
    private var offset = 0

    /// Opens ICU's converter for `encoding`; throws ``HanFixError/unknownEncoding(_:)``.
    /// `offset`: stream bytes before this stage's input (a byte-order mark), for errors.
    init(encoding: String, offset: Int = 0) throws {
        self.encoding = encoding
        self.offset = offset
        codec = try ICUCodec(encoding: encoding)
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        var start = 0
        repeat {
            let remaining = min(input.count - start, 1 << 24)
            output.reserve(remaining * 3 + 64)
            var consumed: Int32 = 0, status: Int32 = 0, privateUse = Int32.min
            let written = hanfix_icu_decode(
                codec.pointer, input.baseAddress.map { $0 + start }, Int32(remaining), output.end,
                Int32(min(output.capacity - output.count, Int(Int32.max))),
                isFinal && remaining == input.count - start ? 1 : 0, &consumed, &status, &privateUse)
            if privateUse != Int32.min {
                throw HanFixError.undecodable(encoding: encoding, offset: offset + start + Int(privateUse))
            }
            // Under status 2, `consumed` stops where the bad bytes begin (possibly in an
            // earlier chunk, so negative).
            if status == 2 || status == 3 {
                throw HanFixError.undecodable(encoding: encoding, offset: offset + start + Int(consumed))
            }
            output.count += Int(written)
            start += Int(consumed)
        } while start < input.count
        offset += input.count
        return nil
    }
}
