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

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws {
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
