import CHanFixICU

/// Encodes the UTF-8 text into another encoding with ICU: GB18030, Big5, UTF-16LE …
///
/// A character the encoding cannot hold is an error naming it and its offset in the UTF-8
/// text, or, with ``UnmappablePolicy/replace``, the encoding's substitution character. A
/// character cut by a chunk boundary waits for the next chunk.
struct OutputEncodingStage: StreamingStage {
    private let codec: ICUCodec
    private let policy: UnmappablePolicy
    private let pending = ByteBuffer(capacity: 16)
    /// Offset in the UTF-8 text of the next byte to encode, for errors.
    private var offset = 0

    init(encoding: String, policy: UnmappablePolicy) throws {
        codec = try ICUCodec(encoding: encoding)
        self.policy = policy
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        if !pending.isEmpty {
            pending.append(input)
            let joined = ByteBuffer(capacity: pending.count)
            joined.append(pending.bytes)
            pending.removeAll()
            try encode(joined.bytes, isFinal: isFinal, into: output)
        } else {
            try encode(input, isFinal: isFinal, into: output)
        }
        return nil
    }

    private mutating func encode(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws {
        // Whole scalars only: a sequence cut by the chunk's end waits.
        var end = input.count
        if !isFinal && end > 0 {
            var last = end - 1
            while last > 0 && end - last < 4 && input[last] & 0xC0 == 0x80 { last -= 1 }
            if input[last] >= 0xC0 && UTF8Scalar.sequenceLength(lead: input[last]) > end - last { end = last }
        }
        var position = 0
        repeat {
            // At most 16 MiB a call, cut at a scalar boundary.
            var slice = min(end - position, 1 << 24)
            while position + slice < end && slice > 0 && input[position + slice] & 0xC0 == 0x80 { slice -= 1 }
            output.reserve(slice * 4 + 16)
            var consumed: Int32 = 0, status: Int32 = 0
            let written = hanfix_icu_encode(
                codec.pointer, input.baseAddress.map { $0 + position }, Int32(slice), output.end,
                Int32(min(output.capacity - output.count, Int(Int32.max))),
                isFinal && position + slice == input.count ? 1 : 0, policy == .replace ? 1 : 0, &consumed, &status)
            output.count += Int(written)
            if status == 2 {
                let at = position + Int(consumed)
                let (scalar, _) = UTF8Scalar.decode(input.baseAddress! + at, end: input.baseAddress! + end)
                throw HanFixError.unencodable(scalar: scalar, encoding: codec.encoding, offset: offset + at)
            }
            if status == 3 { throw HanFixError.unencodable(scalar: 0, encoding: codec.encoding, offset: offset + position) }
            position += Int(consumed)
        } while position < end
        offset += end
        pending.append(UnsafeBufferPointer(rebasing: input[end...]))
    }
}

/// What to do with a character the output encoding cannot hold.
public enum UnmappablePolicy: String, CaseIterable, Sendable {
    /// Stop with an error naming the character and its offset.
    case error
    /// Write the encoding's substitution character (`?` in most).
    case replace
}
