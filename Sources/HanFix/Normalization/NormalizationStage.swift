/// Streams text through a ``TextNormalizer``, keeping back the last few bytes of a chunk
/// when a decision there needs to see what follows (an escape, the Han character after a
/// radical).
struct NormalizationStage: StreamingStage {
    private let normalizer: TextNormalizer
    private let report: ((RepairEvent) -> Void)?
    private var state = TextNormalizer.State()
    private let pending = ByteBuffer(capacity: 256)
    private var offset = 0

    init(normalizer: TextNormalizer, report: ((RepairEvent) -> Void)?) {
        self.normalizer = normalizer
        self.report = report
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        if pending.isEmpty {
            // The common case: nothing to replace, and the input passes on without a copy.
            var replaced = false
            let consumed = normalizer.normalize(input, isFinal: isFinal, state: &state, streamOffset: offset,
                                                emitUnchanged: false, emit: output.append,
                                                report: { replaced = true; report?($0) })
            offset += consumed
            pending.append(UnsafeBufferPointer(rebasing: input[consumed...]))
            return replaced ? nil : consumed
        }
        pending.append(input)
        let text = pending.bytes
        let consumed = normalizer.normalize(text, isFinal: isFinal, state: &state, streamOffset: offset,
                                            emit: output.append, report: { report?($0) })
        offset += consumed
        pending.removeFirst(consumed)
        return nil
    }
}
