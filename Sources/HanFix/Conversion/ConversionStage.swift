import HanFixTableFormat
import Synchronization

/// Streams text through a ``Converter``, cutting it only where no match can straddle the cut.
///
/// A cut is safe right after a scalar that occurs in no key of any step of the config
/// (`ConversionPlan.keyScalars`): no match can contain that scalar, so every step's parse has
/// a boundary on both sides of it, and converting the two halves apart gives the same bytes
/// as converting them together. Newlines, spaces, ASCII punctuation and CJK punctuation all
/// qualify, so held-back text stays short on real input. Configs with a ``ScriptGate``, which
/// judges whole lines, cut only after newlines, and a line longer than
/// ``ScriptGate/longestWholeLine`` at a safe scalar.
///
/// The same property makes blocks independent: with `concurrency` above 1, a large block is
/// split at safe cuts into ``partsPerThread`` parts per thread, which the threads take one
/// after another until none is left, and the parts' outputs are joined in order; the bytes
/// are those of a sequential conversion.
///
/// The stage also applies the ``InvalidUTF8Policy``: the matchers copy ill-formed bytes
/// through and report them, so valid input pays for no separate validation pass, and a block
/// with bad bytes is redone on the cold path.
struct ConversionStage: StreamingStage {
    let converter: Converter
    let policy: InvalidUTF8Policy
    /// When an earlier stage removed bytes, maps this stage's offsets back to the input's.
    let repairedOffsets: RepairedOffsets?
    private let pending = ByteBuffer(capacity: 64 * 1024)
    /// One per part a block can have; worker 0 writes straight to the stage's output when
    /// a block is not split.
    private let workers: [BlockWorker]
    /// The threads for parts 1…, created only when `concurrency` is above 1.
    private let threads: WorkerThreads?
    /// Stream offset of the first byte not yet converted, for error offsets.
    private var offset = 0
    /// The text held back continues a line that was too long to wait for (``convertLongRun``).
    private var insideLongLine = false
    /// Receives each one-to-many character, with its offset in this stage's input.
    private let report: ((Ambiguity) -> Void)?

    /// Blocks smaller than this are not worth splitting across threads.
    static let minimumParallelBlock = 64 * 1024

    /// The parts a block is split into for each thread. With one part per thread, the
    /// thread that got the denser text (Han rather than ASCII) kept the others waiting: two
    /// threads ran 1.56 times as fast as one on s2t. Smaller parts, taken in turn, even
    /// that out.
    static let partsPerThread = 4

    /// `threads`, when given, must be `concurrency` wide; it may be shared with other stages
    /// of the same stream, which run one at a time.
    init(converter: Converter, policy: InvalidUTF8Policy, concurrency: Int = 1,
         repairedOffsets: RepairedOffsets? = nil, threads: WorkerThreads? = nil, report: ((Ambiguity) -> Void)? = nil) {
        self.converter = converter
        self.report = report
        self.policy = policy
        self.repairedOffsets = repairedOffsets
        let pool = concurrency > 1 ? threads ?? WorkerThreads(width: concurrency) : nil
        self.threads = pool
        workers = (0..<(pool.map { $0.width * Self.partsPerThread } ?? 1)).map { _ in BlockWorker() }
        if report != nil { workers[0].workspace.recorder = AmbiguityRecorder() }
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        var rest = input
        if !pending.isEmpty {
            // Complete the held-back tail with the input up to its first safe cut, so that the
            // bulk of the input is converted in place rather than copied behind the tail.
            let firstCut = isFinal ? input.count : converter.firstSafeCut(in: input)
            guard let firstCut else {
                pending.append(input)  // no safe cut at all: keep waiting
                try convertLongRun(into: output)
                return nil
            }
            pending.append(UnsafeBufferPointer(rebasing: input[..<firstCut]))
            try convert(pending.bytes, into: output, pieces: insideLongLine ? .startsInsideLine : [])
            insideLongLine = false
            pending.removeAll()
            rest = UnsafeBufferPointer(rebasing: input[firstCut...])
        }
        let cut = isFinal ? rest.count : converter.lastSafeCut(in: rest, searchFrom: 0)
        if cut > 0 {
            try convert(UnsafeBufferPointer(rebasing: rest[..<cut]), into: output,
                        pieces: insideLongLine ? .startsInsideLine : [])
            insideLongLine = false
        }
        pending.append(UnsafeBufferPointer(rebasing: rest[cut...]))
        try convertLongRun(into: output)
        return nil
    }

    /// Text held back beyond this without any safe cut is cut at a parse boundary instead,
    /// where the config allows it.
    static let longRunLimit = 1 << 20

    /// Keeps memory bounded on text with no safe cut for a long stretch: a line longer than
    /// ``ScriptGate/longestWholeLine``, where a gate wants whole lines, is cut at a scalar in
    /// no key (and judged in pieces); Han without any punctuation is cut at a stable boundary of the parse
    /// that decides the conversion (`Converter.stableParseBoundary(in:)`), as good a cut as a
    /// safe scalar.
    private mutating func convertLongRun(into output: ByteBuffer) throws {
        guard pending.count > (converter.scriptGate == nil ? Self.longRunLimit : ScriptGate.longestWholeLine) else { return }
        var cut = converter.scriptGate == nil ? 0 : converter.lastScalarCut(in: pending.bytes, searchFrom: 0)
        if cut == 0 { cut = converter.stableParseBoundary(in: pending.bytes) }
        guard cut > 0 else { return }
        try convert(UnsafeBufferPointer(rebasing: pending.bytes[..<cut]), into: output,
                    pieces: insideLongLine ? [.startsInsideLine, .endsInsideLine] : .endsInsideLine)
        insideLongLine = true
        pending.removeFirst(cut)
    }

    private mutating func convert(_ block: UnsafeBufferPointer<UInt8>, into output: ByteBuffer,
                                  pieces: LinePieces = []) throws {
        defer {
            offset += block.count
            repairedOffsets?.discard(before: offset)
        }
        do {
            try convertParts(block, into: output, pieces: pieces)
            if let report, let recorder = workers[0].workspace.recorder {
                for var ambiguity in recorder.events {
                    ambiguity.offset += offset
                    report(ambiguity)
                }
            }
        } catch HanFixError.invalidUTF8(let repairedOffset) where repairedOffsets != nil {
            throw HanFixError.invalidUTF8(offset: repairedOffsets!.inputOffset(of: repairedOffset))
        }
    }

    private mutating func convertParts(_ block: UnsafeBufferPointer<UInt8>, into output: ByteBuffer,
                                       pieces: LinePieces) throws {
        let parts = split(block)
        if parts.count == 1 {
            try workers[0].convert(block, with: converter, policy: policy, streamOffset: offset, pieces: pieces,
                                   into: output)
            return
        }
        // Parts run concurrently into their own buffers and are joined in order. The closure
        // shares nothing mutable but the part counter: each part touches only its own worker.
        let job = ParallelJob(converter: converter, policy: policy, workers: workers, parts: parts,
                              blockStart: block.baseAddress!, streamOffset: offset, pieces: pieces)
        threads!.run(parts: min(threads!.width, parts.count)) { _ in job.runParts() }
        for worker in workers.prefix(parts.count) {
            if let error = worker.error { throw error }  // the earliest part's error first
            output.append(worker.output.bytes)
        }
    }

    /// Splits a large block into up to `workers.count` parts of similar size at safe cuts.
    private func split(_ block: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        // Ambiguities are reported in order, from one worker.
        guard workers.count > 1, block.count >= Self.minimumParallelBlock, report == nil else { return [0..<block.count] }
        var parts: [Range<Int>] = []
        var start = 0
        for index in 1..<workers.count {
            let target = block.count * index / workers.count
            guard target > start else { continue }
            let cut = converter.lastSafeCut(in: UnsafeBufferPointer(rebasing: block[..<target]), searchFrom: start)
            if cut > start {
                parts.append(start..<cut)
                start = cut
            }
        }
        parts.append(start..<block.count)
        return parts
    }
}

/// The buffers one thread needs to convert blocks.
final class BlockWorker: @unchecked Sendable {
    // @unchecked: a worker is used by one thread at a time (its part of a ParallelJob, or the
    // stage's own thread).
    let workspace = ConversionWorkspace()
    let sanitized = ByteBuffer(capacity: 1024)
    let output = ByteBuffer(capacity: 64 * 1024)
    var error: (any Error)?

    /// Converts one block, applying `policy`: the matchers report ill-formed UTF-8, and only
    /// then is the block validated (throwing with the offset) or repaired and redone.
    func convert(_ block: UnsafeBufferPointer<UInt8>, with converter: Converter, policy: InvalidUTF8Policy,
                 streamOffset: Int, pieces: LinePieces, into output: ByteBuffer) throws {
        let start = output.count
        workspace.recorder?.events.removeAll(keepingCapacity: true)
        if converter.convertBlock(block, into: output, workspace: workspace, pieces: pieces) && policy != .pass {
            output.count = start
            workspace.recorder?.events.removeAll(keepingCapacity: true)
            sanitized.removeAll()
            _ = try UTF8Validation.copy(block, policy: policy, streamOffset: streamOffset,
                                        holdBackIncomplete: false, into: sanitized)
            converter.convertBlock(sanitized.bytes, into: output, workspace: workspace, pieces: pieces)
            workspace.recorder?.mapOffsets(from: sanitized.bytes, to: block)
        }
    }
}

/// One block split into parts, converted by one worker each; the threads take the parts in
/// order, each the next one left when it is done.
private struct ParallelJob: @unchecked Sendable {
    // @unchecked: the block outlives the threads' run call, and each part's worker is
    // touched only by the thread that took the part.
    let converter: Converter
    let policy: InvalidUTF8Policy
    let workers: [BlockWorker]
    let parts: [Range<Int>]
    let blockStart: UnsafePointer<UInt8>
    let streamOffset: Int
    /// The block's; the first part starts where the block does, the last ends where it ends.
    let pieces: LinePieces
    /// The next part no thread has taken.
    private let nextPart = PartCounter()

    init(converter: Converter, policy: InvalidUTF8Policy, workers: [BlockWorker], parts: [Range<Int>],
         blockStart: UnsafePointer<UInt8>, streamOffset: Int, pieces: LinePieces) {
        (self.converter, self.policy, self.workers, self.parts) = (converter, policy, workers, parts)
        (self.blockStart, self.streamOffset, self.pieces) = (blockStart, streamOffset, pieces)
    }

    /// Converts parts until none is left; run by each thread.
    func runParts() {
        while true {
            let index = nextPart.value.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < parts.count else { return }
            run(part: index)
        }
    }

    private final class PartCounter: Sendable {
        let value = Atomic<Int>(0)
    }

    private func run(part index: Int) {
        let worker = workers[index]
        let range = parts[index]
        worker.output.removeAll()
        worker.error = nil
        do {
            let partPieces = pieces.intersection(index == 0 ? .startsInsideLine : [])
                .union(pieces.intersection(index == parts.count - 1 ? .endsInsideLine : []))
            try worker.convert(UnsafeBufferPointer(start: blockStart + range.lowerBound, count: range.count),
                               with: converter, policy: policy, streamOffset: streamOffset + range.lowerBound,
                               pieces: partPieces, into: worker.output)
        } catch {
            worker.error = error
        }
    }
}

extension Converter {
    /// A cut in `buffer` that cannot change the conversion, for text the normalization leaves
    /// unchanged: a boundary of the greedy parse that decides it, lying at least one longest
    /// key before the end (so more text cannot change the parse before it). Without
    /// segmentation (one-step configs) any boundary of the step's parse will do; with it, only
    /// the end of a segmenting match, which no later step may cross. 0 when there is none.
    func stableParseBoundary(in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        guard !(plan.normalization?.mayMatch(buffer) ?? false) else { return 0 }
        let matcher: PhraseMatcher
        let segmentPriority: UInt32?
        switch plan.segmentation {
        case nil:
            guard plan.chain.count == 1 else { return 0 }
            (matcher, segmentPriority) = (plan.chain[0], nil)
        case .firstStep(let maxPriority):
            (matcher, segmentPriority) = (plan.chain[0], maxPriority)
        case .separate(let segmenter, let maxPriority):
            (matcher, segmentPriority) = (segmenter, maxPriority)
        }
        // Decisions before this offset have seen every byte a key or a lattice region could reach.
        let stableEnd = buffer.count - 4 * (TableFormat.maximumKeyScalars + PhraseMatcher.maximumRegionScalars
                                            + TableFormat.Lexicon.maximumWordScalars)
        guard stableEnd > 0 else { return 0 }
        var boundary = 0
        var previousIsFresh = true
        matcher.parse(buffer, maxPriority: segmentPriority ?? .max) { start, matchEnd, isFresh in
            guard start < stableEnd else { return false }
            if segmentPriority == nil {
                if previousIsFresh { boundary = start }  // a one-step parse starts afresh here
            } else if let matchEnd, matchEnd <= stableEnd, isFresh {
                boundary = matchEnd  // the end of a segmenting match
            }
            previousIsFresh = isFresh
            return true
        }
        return boundary
    }

    /// The end of the first scalar of `buffer` that occurs in no key of this config, or nil.
    /// With a ``ScriptGate``, which judges whole lines, the end of the first line.
    func firstSafeCut(in buffer: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        if scriptGate != nil { return Newlines.afterFirst(from: base, to: base + buffer.count).map { $0 - base } }
        let keyScalars = plan.keyScalars
        let end = base + buffer.count
        var p = base
        while p < end {
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            p += length
            if scalar != UTF8Scalar.invalid && !keyScalars.contains(scalar) { return p - base }
        }
        return nil
    }

    /// The last cut in `buffer[searchFrom...]` that cannot change the conversion, or 0 when
    /// there is none: converting `buffer[..<cut]` and the rest apart gives the bytes of
    /// converting them together. With a ``ScriptGate``, which judges whole lines, the end of
    /// the last line; otherwise ``lastScalarCut(in:searchFrom:)``. Complexity: O(n) backwards.
    func lastSafeCut(in buffer: UnsafeBufferPointer<UInt8>, searchFrom: Int) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        guard scriptGate == nil else {
            return Newlines.afterLast(from: base + searchFrom, to: base + buffer.count).map { $0 - base } ?? 0
        }
        return lastScalarCut(in: buffer, searchFrom: searchFrom)
    }

    /// The end of the last scalar in `buffer[searchFrom...]` that occurs in no key of this
    /// config, or 0 when there is none. Complexity: O(n) backwards.
    func lastScalarCut(in buffer: UnsafeBufferPointer<UInt8>, searchFrom: Int) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let keyScalars = plan.keyScalars
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
