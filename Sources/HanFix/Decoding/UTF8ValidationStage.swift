/// Checks that the stream is well-formed UTF-8 and applies an ``InvalidUTF8Policy``; used
/// when no conversion runs (a converting stage applies the policy itself).
struct UTF8ValidationStage: StreamingStage {
    let policy: InvalidUTF8Policy
    /// Bytes of the stream already consumed, for error offsets.
    private var offset = 0
    /// The start of a sequence cut by the end of the previous chunk (at most 3 bytes).
    private let carry = ByteBuffer(capacity: 16)

    init(policy: InvalidUTF8Policy) {
        self.policy = policy
    }

    /// Valid input, the common case, passes on without a copy. Under `.error`, a sequence cut
    /// by the end of a chunk passes on too, and is checked when the next chunk completes it:
    /// any error stops the stream anyway. Under `.replace` it is held back, since it might
    /// have to become U+FFFD, and ``process(_:isFinal:into:)`` completes it.
    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        if let unchanged = try passThrough(input, isFinal: isFinal) { return unchanged }
        try copy(input, isFinal: isFinal, into: output)
        return nil
    }

    private mutating func passThrough(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool) throws -> Int? {
        var start = 0
        if !carry.isEmpty {
            guard policy == .error else { return nil }
            // The cut sequence was passed on already: check its continuation.
            let held = carry.count
            let missing = UTF8Scalar.sequenceLength(lead: carry.bytes[0]) - held
            start = min(missing, input.count)
            carry.append(UnsafeBufferPointer(rebasing: input[..<start]))
            let joined = carry.bytes
            let subpart = UTF8Scalar.maximalSubpartLength(joined.baseAddress!, end: joined.baseAddress! + joined.count)
            guard subpart == joined.count else { throw HanFixError.invalidUTF8(offset: offset - held) }
            if start < missing {
                // Still incomplete (a tiny chunk): wait for more, unless the input has ended.
                if isFinal { throw HanFixError.invalidUTF8(offset: offset - held) }
                offset += start
                return input.count
            }
            carry.removeAll()
            offset += start
        }
        let rest = UnsafeBufferPointer(rebasing: input[start...])
        let (length, illFormed) = UTF8Validation.wellFormedPrefix(rest)
        if illFormed || (length < rest.count && isFinal) {
            guard policy == .error else { return nil }  // .replace: process() substitutes
            throw HanFixError.invalidUTF8(offset: offset + length)
        }
        carry.append(UnsafeBufferPointer(rebasing: rest[length...]))
        if policy == .error {
            offset += rest.count
            return input.count
        }
        offset += length
        return start + length
    }

    /// Copies `input` to `output`, substituting under `.replace` and completing a sequence
    /// held back from the previous chunk.
    private mutating func copy(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws {
        var rest = input
        if !carry.isEmpty {
            // Finish the cut sequence with the first bytes of this chunk, then go on from there.
            let held = carry.count
            let borrowed = min(input.count, 4 - held)
            carry.append(UnsafeBufferPointer(rebasing: input[..<borrowed]))
            let joined = ByteBuffer(capacity: 8)
            joined.append(carry.bytes)
            carry.removeAll()
            let used = try consume(joined.bytes, isFinal: isFinal && borrowed == input.count,
                                   into: output, firstSequenceOnly: true)
            guard used >= held else { return }  // still incomplete, held back again
            rest = UnsafeBufferPointer(rebasing: input[(used - held)...])
        }
        _ = try consume(rest, isFinal: isFinal, into: output, firstSequenceOnly: false)
    }

    private mutating func consume(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer,
                                  firstSequenceOnly: Bool) throws -> Int {
        let used = try UTF8Validation.copy(input, policy: policy, streamOffset: offset,
                                           holdBackIncomplete: !isFinal, into: output,
                                           firstSequenceOnly: firstSequenceOnly)
        offset += used
        if !firstSequenceOnly || used == 0 {
            carry.append(UnsafeBufferPointer(rebasing: input[used...]))
        }
        return used
    }
}
