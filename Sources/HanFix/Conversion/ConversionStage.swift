/// Streams text through a ``Converter``, cutting it only where no match can straddle the cut.
///
/// A cut is safe right after a scalar that occurs in no key of any step of the config
/// (`ConversionPlan.keyScalars`): no match can contain that scalar, so every step's parse has
/// a boundary on both sides of it, and converting the two halves apart gives the same bytes
/// as converting them together. Newlines, spaces, ASCII punctuation and CJK punctuation all
/// qualify, so held-back text stays short on real input.
///
/// The stage also applies the ``InvalidUTF8Policy``: the matchers copy ill-formed bytes
/// through and report them, so valid input pays for no separate validation pass, and a block
/// with bad bytes is redone on the cold path.
struct ConversionStage: StreamingStage {
    let converter: Converter
    let policy: InvalidUTF8Policy
    private let pending = ByteBuffer(capacity: 64 * 1024)
    private let workspace = ConversionWorkspace()
    private let sanitized = ByteBuffer(capacity: 1024)
    /// Stream offset of the first byte not yet converted, for error offsets.
    private var offset = 0

    init(converter: Converter, policy: InvalidUTF8Policy) {
        self.converter = converter
        self.policy = policy
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws {
        if pending.isEmpty {
            // Fast path: convert straight from the caller's buffer, keep only the tail.
            let cut = isFinal ? input.count : lastSafeCut(in: input, searchFrom: 0)
            try convert(UnsafeBufferPointer(rebasing: input[..<cut]), into: output)
            pending.append(UnsafeBufferPointer(rebasing: input[cut...]))
            return
        }
        let searchFrom = max(0, pending.count - 3)  // a scalar may straddle the old end
        pending.append(input)
        let cut = isFinal ? pending.count : lastSafeCut(in: pending.bytes, searchFrom: searchFrom)
        guard cut > 0 else { return }
        try convert(UnsafeBufferPointer(rebasing: pending.bytes[..<cut]), into: output)
        pending.removeFirst(cut)
    }

    private mutating func convert(_ block: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) throws {
        let start = output.count
        if converter.convertBlock(block, into: output, workspace: workspace) && policy != .pass {
            // Cold path: undo, then validate (throwing with the offset) or replace and redo.
            output.count = start
            sanitized.removeAll()
            _ = try UTF8Validation.copy(block, policy: policy, streamOffset: offset,
                                        holdBackIncomplete: false, into: sanitized)
            converter.convertBlock(sanitized.bytes, into: output, workspace: workspace)
        }
        offset += block.count
    }

    /// The end of the last scalar in `buffer[searchFrom...]` that no key contains, or
    /// `searchFrom`'s safe predecessor 0 when there is none. Complexity: O(n) backwards.
    private func lastSafeCut(in buffer: UnsafeBufferPointer<UInt8>, searchFrom: Int) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let keyScalars = converter.plan.keyScalars
        let end = base + buffer.count
        var p = end
        while p > base + searchFrom {
            p -= 1
            let byte = p[0]
            if byte < 0x80 {
                if !keyScalars.contains(UInt32(byte)) { return p + 1 - base }
                continue
            }
            guard byte & 0xC0 != 0x80 else { continue }  // a continuation byte
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar != UTF8Scalar.invalid && !keyScalars.contains(scalar) { return p + length - base }
        }
        return 0
    }
}
