/// Streams text through an ``AnnotationRepairer``.
///
/// Stripping removes only the note, never the characters it reads, so everything can be
/// passed on at once except a note still open at the end of a chunk, which waits for its
/// closing parenthesis. A copy of the last bytes passed on is kept as context, for a note at
/// the start of the next chunk that reads characters from this one. Decisions depend on
/// earlier notes only through the ``AnnotationRepairer/State``, which follows the stream in
/// order. So the result does not depend on where chunks end.
struct AnnotationRepairStage: StreamingStage {
    let repairer: AnnotationRepairer
    let report: ((AnnotationDecision) -> Void)?
    /// Where removals happened, for a later stage's error offsets.
    let offsets: RepairedOffsets?
    /// Threads that look for parentheses in parallel in large chunks (the costly part of
    /// repair: a look at every byte); the decisions themselves follow the stream in order.
    private let threads: WorkerThreads?
    private var state = AnnotationRepairer.State()
    /// A note still open at the end of the last chunk (rarely anything).
    private let pending = ByteBuffer(capacity: 256)
    /// The last bytes passed on: what the characters before a note may be read from.
    private var context: [UInt8] = []
    /// Stream offset of the first byte not yet consumed.
    private var offset = 0
    /// Bytes this stage has passed on, over the whole stream.
    private var written = 0

    /// Enough for ``AnnotationScanner/maximumSyllables`` characters of four bytes.
    private static let contextBytes = 4 * AnnotationScanner.maximumSyllables

    init(repairer: AnnotationRepairer, report: ((AnnotationDecision) -> Void)?, offsets: RepairedOffsets? = nil,
         threads: WorkerThreads? = nil) {
        self.repairer = repairer
        self.report = report
        self.offsets = offsets
        self.threads = threads
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        guard !pending.isEmpty else {
            // The common case: a chunk without notes passes on without a copy.
            let (consumed, stripped) = repair(input, isFinal: isFinal, into: output)
            pending.append(UnsafeBufferPointer(rebasing: input[consumed...]))
            return stripped ? nil : consumed
        }
        pending.append(input)
        let joined = ByteBuffer(capacity: pending.count)
        joined.append(pending.bytes)
        pending.removeAll()
        let (consumed, _) = repair(joined.bytes, isFinal: isFinal, into: output, copyingUnchanged: true)
        pending.append(UnsafeBufferPointer(rebasing: joined.bytes[consumed...]))
        return nil
    }

    /// Repairs what `text` allows; returns the offset where it stopped and whether anything
    /// was stripped (without `copyingUnchanged`, nothing is written otherwise).
    private mutating func repair(_ text: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer,
                                 copyingUnchanged: Bool = false) -> (consumed: Int, stripped: Bool) {
        let limit = isFinal ? text.count : openNoteStart(text)
        let outputStart = output.count
        let streamWritten = written
        let (consumed, stripped) = context.withUnsafeBufferPointer { context in
            repairer.process(
                text, upTo: limit, context: context, streamOffset: offset, state: &state, into: output,
                report: report,
                removed: offsets.map { offsets in
                    { outputCount, length in
                        offsets.recordRemoval(at: streamWritten + outputCount - outputStart, length: length)
                    }
                }, copyingUnchanged: copyingUnchanged, openings: openings(in: text, limit: limit))
        }
        written += stripped || copyingUnchanged ? output.count - outputStart : consumed
        offset += consumed
        // Keep the last bytes passed on as the next chunk's context.
        let kept = min(consumed, Self.contextBytes)
        context = Array(context.suffix(Self.contextBytes - kept))
            + Array(UnsafeBufferPointer(rebasing: text[(consumed - kept)..<consumed]))
        return (consumed, stripped)
    }

    /// Every opening parenthesis below `limit`, found by the threads in parts split at
    /// character boundaries (so that no "（" is cut); nil for small texts or one thread.
    private func openings(in text: UnsafeBufferPointer<UInt8>, limit: Int) -> [Int]? {
        guard let threads, limit >= ConversionStage.minimumParallelBlock, let base = text.baseAddress else {
            return nil
        }
        var bounds = (0...threads.width).map { limit * $0 / threads.width }
        for index in bounds.indices.dropFirst().dropLast() {
            while bounds[index] < limit && base[bounds[index]] & 0xC0 == 0x80 { bounds[index] += 1 }
        }
        let found = OpeningSearch(base: base, bounds: bounds)
        threads.run(parts: threads.width) { found.search(part: $0) }
        return found.results.flatMap { $0 }
    }

    /// Where a note still open at the end of `buffer` begins (or a "（" cut by the end), or
    /// the end of the buffer.
    private func openNoteStart(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let end = base + buffer.count
        let count = buffer.count
        // A fullwidth bracket cut by the end (EF, or EF BC) waits for its last byte; it may
        // be "）" closing an earlier note, so the scan below goes on past it.
        var start = count
        if count >= 1 && base[count - 1] == 0xEF {
            start = count - 1
        } else if count >= 2 && base[count - 2] == 0xEF && base[count - 1] == 0xBC {
            start = count - 2
        }
        let window = max(0, count - AnnotationScanner.maximumNoteBytes - 6)
        var index = start - 1
        while index >= window {
            let byte = base[index]
            // ")", "）" or a newline: nothing before it is still open (notes do not span lines).
            if byte == 0x29 || byte == 0x0A || (byte == 0xBC && index + 1 < count && base[index + 1] == 0x89
                                                && index > 0 && base[index - 1] == 0xEF) {
                break
            }
            if AnnotationScanner.opensNote(base + index, end: end) > 0 { return index }
            index -= 1
        }
        return start
    }
}

/// The parts of one parallel search for parentheses.
private final class OpeningSearch: @unchecked Sendable {
    // @unchecked: each part writes only its own slot of `results`, and the text outlives the
    // search (WorkerThreads.run returns when every part is done).
    let base: UnsafePointer<UInt8>
    let bounds: [Int]
    var results: [[Int]]

    init(base: UnsafePointer<UInt8>, bounds: [Int]) {
        self.base = base
        self.bounds = bounds
        results = Array(repeating: [], count: bounds.count - 1)
    }

    func search(part: Int) {
        var found: [Int] = []
        var index = bounds[part]
        let limit = bounds[part + 1]
        while true {
            index = AnnotationScanner.nextOpening(in: base, from: index, limit: limit)
            guard index < limit else { break }
            found.append(index)
            index += 1
        }
        results[part] = found
    }
}
