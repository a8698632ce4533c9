/// Streams text through an ``AnnotationRepairer``.
///
/// A note is decided only when everything it depends on is in the buffer: the Han characters
/// before it (at most ``AnnotationScanner/maximumSyllables``) and its closing parenthesis
/// (within ``AnnotationScanner/maximumNoteBytes``). The stage therefore holds back the last
/// few characters of each chunk, and any note still open at its end, so the result does not
/// depend on where chunks end. Decisions depend on earlier notes only through the
/// ``AnnotationRepairer/State``, which follows the stream in order.
struct AnnotationRepairStage: StreamingStage {
    let repairer: AnnotationRepairer
    let report: ((AnnotationDecision) -> Void)?
    private var state = AnnotationRepairer.State()
    private let pending = ByteBuffer(capacity: 64 * 1024)
    /// Stream offset of `pending`'s first byte.
    private var offset = 0

    init(repairer: AnnotationRepairer, report: ((AnnotationDecision) -> Void)?) {
        self.repairer = repairer
        self.report = report
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws {
        pending.append(input)
        let limit = isFinal ? pending.count : heldBackStart(pending.bytes)
        guard limit > 0 else { return }
        let consumed = repairer.process(pending.bytes, upTo: limit, streamOffset: offset, state: &state,
                                        into: output, report: report)
        pending.removeFirst(consumed)
        offset += consumed
    }

    /// Where the tail that must wait for more input begins: the last characters that may be
    /// read by a note in the next chunk, or an open note and the characters before it.
    private func heldBackStart(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let end = base + buffer.count
        var start = buffer.count
        // An opening parenthesis near the end that is not closed yet.
        let window = max(0, buffer.count - AnnotationScanner.maximumNoteBytes - 6)
        var index = buffer.count - 1
        while index >= window {
            let byte = base[index]
            if byte == 0x29 || (byte == 0xBC && index + 1 < buffer.count && base[index + 1] == 0x89 && index > 0
                                && base[index - 1] == 0xEF) {
                break  // ")" or "）": anything before it is closed
            }
            if AnnotationScanner.opensNote(base + index, end: end) > 0 { start = index; break }
            index -= 1
        }
        // Back over the characters a note may read: one opening in the held-back tail, or one
        // at the start of the next chunk. Backing up can bring an earlier note into the tail,
        // whose characters must come too.
        start = Self.backOverReadCharacters(from: start, in: base)
        while let open = (start..<buffer.count).first(where: { AnnotationScanner.opensNote(base + $0, end: end) > 0 }) {
            let needed = Self.backOverReadCharacters(from: open, in: base)
            guard needed < start else { break }
            start = needed
        }
        // Notes never span lines: nothing before the last newline waits.
        if let newline = (start..<buffer.count).last(where: { base[$0] == 0x0A }) { start = newline + 1 }
        return start
    }

    /// The offset ``AnnotationScanner/maximumSyllables`` scalars before `offset`, or 0.
    private static func backOverReadCharacters(from offset: Int, in base: UnsafePointer<UInt8>) -> Int {
        var start = offset
        var scalars = 0
        while start > 0 && scalars < AnnotationScanner.maximumSyllables {
            start -= 1
            if base[start] & 0xC0 != 0x80 { scalars += 1 }
        }
        return start
    }
}
