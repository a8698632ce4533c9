/// Checks that the stream is well-formed UTF-8 and applies an ``InvalidUTF8Policy``.
struct UTF8ValidationStage: StreamingStage {
    let policy: InvalidUTF8Policy
    /// Bytes of the stream already validated, for error offsets.
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
            carry.append(UnsafeBufferPointer(rebasing: input.prefix(4 - held)))
            let joined = ByteBuffer(capacity: 8)
            joined.append(carry.bytes)
            carry.removeAll()
            let used = try validate(joined.bytes, isFinal: isFinal && input.count <= 4 - held,
                                    into: output, firstSequenceOnly: true)
            if used < held {
                // Still incomplete: `validate` held it back again.
                return
            }
            rest = UnsafeBufferPointer(rebasing: input[(used - held)...])
        }
        _ = try validate(rest, isFinal: isFinal, into: output, firstSequenceOnly: false)
    }

    /// Validates `input`, copying (or replacing) it to `output`, and holds back an incomplete
    /// sequence at its end unless `isFinal`. Returns the number of bytes consumed.
    private mutating func validate(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer,
                                   firstSequenceOnly: Bool) throws -> Int {
        guard let start = input.baseAddress else { return 0 }
        let end = start + input.count
        var p = start
        var runStart = start
        while p < end {
            if firstSequenceOnly && p > start { break }
            if p[0] < 0x80 { p += 1; continue }
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar != UTF8Scalar.invalid { p += length; continue }
            let subpart = UTF8Scalar.maximalSubpartLength(p, end: end)
            if p + subpart == end && !isFinal && subpart < UTF8Scalar.sequenceLength(lead: p[0]) {
                carry.append(UnsafeBufferPointer(start: p, count: subpart))
                break
            }
            switch policy {
            case .error:
                throw HanFixError.invalidUTF8(offset: offset + (p - start))
            case .pass:
                p += subpart
            case .replace:
                output.append(UnsafeBufferPointer(start: runStart, count: p - runStart))
                output.append(0xEF); output.append(0xBF); output.append(0xBD)  // U+FFFD
                p += subpart
                runStart = p
            }
        }
        output.append(UnsafeBufferPointer(start: runStart, count: p - runStart))
        offset += p - start
        return p - start
    }
}
