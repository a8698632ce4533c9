/// Streams text through a ``MojibakeRepairer`` and a ``DamageScanner``.
///
/// The text is taken line by line (``RegionSplitter``: very long lines in pieces); the tail of
/// a chunk after its last newline waits for the next chunk. So the output does not depend on
/// where chunks end. Text with nothing to repair passes on without a copy.
///
/// Lines are independent (a damage run ends at a newline), so a large chunk is shared out
/// among threads by lines, each with its own repairer; the output and the reports are put
/// back in order, the same as on one thread.
///
/// The input must be well-formed UTF-8 (a validation stage runs first); should an ill-formed
/// byte get through (`--invalid=pass`), it is copied and never part of a repair.
struct MojibakeRepairStage: StreamingStage {
    private let report: ((RepairEvent) -> Void)?
    /// One worker per thread; the first also serves the stream between parallel chunks.
    private var workers: [MojibakeLineWorker]
    private let threads: WorkerThreads?
    private let pending = ByteBuffer(capacity: 1024)
    /// Stream offset of the first input byte not yet consumed.
    private var offset = 0
    /// Stream offset of the next output byte: where damage is found.
    private var outputOffset = 0
    /// Whether the text so far ends with a newline (or nothing): where a part may start.
    private var atLineStart = true

    init(report: ((RepairEvent) -> Void)?, threads: WorkerThreads? = nil) {
        self.report = report
        self.threads = threads
        workers = (0..<(threads?.width ?? 1)).map { _ in MojibakeLineWorker() }
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        var unchanged: Int?
        if pending.isEmpty {
            let end = isFinal ? input.count : RegionSplitter.regionsEnd(input)
            if !repairRegions(UnsafeBufferPointer(rebasing: input[..<end]), into: output) { unchanged = end }
            pending.append(UnsafeBufferPointer(rebasing: input[end...]))
        } else {
            pending.append(input)
            let joined = pending.bytes
            let end = isFinal ? joined.count : RegionSplitter.regionsEnd(joined)
            if !repairRegions(UnsafeBufferPointer(rebasing: joined[..<end]), into: output) {
                output.append(UnsafeBufferPointer(rebasing: joined[..<end]))
            }
            pending.removeFirst(end)
        }
        if isFinal {
            var events: [MojibakeLineWorker.Event] = []
            workers[0].finish(events: &events)
            deliver(events, inputBase: offset, outputBase: outputOffset)
        }
        return unchanged
    }

    /// Repairs whole regions, on several threads when the text is large. Returns false,
    /// having written nothing, when nothing changed: the caller passes the text on as it is.
    private mutating func repairRegions(_ text: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) -> Bool {
        guard let base = text.baseAddress, !text.isEmpty else { return false }
        defer {
            offset += text.count
            atLineStart = text[text.count - 1] == 0x0A
        }
        let parts = lineParts(text)
        guard parts.count > 1, let threads else {
            var events: [MojibakeLineWorker.Event] = []
            let start = output.count
            let changed = workers[0].repair(text, into: output, events: &events)
            deliver(events, inputBase: offset, outputBase: outputOffset)
            outputOffset += changed ? output.count - start : text.count
            return changed
        }
        // Each part starts after a newline, where the scanner is idle: a fresh one is the same.
        let buffers = parts.map { _ in ByteBuffer(capacity: 1024) }
        let results = PartResults(count: parts.count)
        let shared = SharedWorkers(workers)
        for index in 1..<parts.count { shared.workers[index].resetScanner() }
        threads.run(parts: parts.count) { index in
            let part = UnsafeBufferPointer(start: base + parts[index].lowerBound, count: parts[index].count)
            var events: [MojibakeLineWorker.Event] = []
            let changed = shared.workers[index].repair(part, into: buffers[index], events: &events)
            results.set(index, changed: changed, events: events)
        }
        // The stream goes on from the last part's scanner.
        shared.workers[0].continueScanning(from: shared.workers[parts.count - 1])
        workers = shared.workers
        let changed = results.changed.contains(true)
        var outputBase = outputOffset
        for (index, part) in parts.enumerated() {
            let slice = UnsafeBufferPointer(rebasing: text[part])
            let written = results.changed[index] ? buffers[index].bytes : slice
            if changed { output.append(written) }
            deliver(results.events[index], inputBase: offset + part.lowerBound, outputBase: outputBase)
            outputBase += written.count
        }
        outputOffset = outputBase
        return changed
    }

    /// Splits `text` at newlines into one part a thread, when it is large and starts a line.
    private func lineParts(_ text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard let threads, atLineStart, workers[0].isScannerIdle, text.count >= ConversionStage.minimumParallelBlock
        else { return [0..<text.count] }
        var bounds = [0]
        for index in 1..<threads.width {
            var cut = max(bounds.last!, text.count * index / threads.width)
            while cut < text.count && text[cut] != 0x0A { cut += 1 }
            if cut < text.count { bounds.append(cut + 1) }
        }
        bounds.append(text.count)
        return zip(bounds, bounds.dropFirst()).filter { $0 < $1 }.map { $0..<$1 }
    }

    /// Reports `events` with their offsets made absolute: a repair's in the input, damage's in
    /// the output.
    private func deliver(_ events: [MojibakeLineWorker.Event], inputBase: Int, outputBase: Int) {
        guard let report else { return }
        for event in events {
            switch event {
            case .input(var event):
                event.offset += inputBase
                report(event)
            case .output(var event):
                event.offset += outputBase
                report(event)
            }
        }
    }

    /// The workers, handed to the pool's threads, each touching only its own.
    private final class SharedWorkers: @unchecked Sendable {
        var workers: [MojibakeLineWorker]
        init(_ workers: [MojibakeLineWorker]) { self.workers = workers }
    }

    /// What each part's thread found, written by that thread only.
    private final class PartResults: @unchecked Sendable {
        var changed: [Bool]
        var events: [[MojibakeLineWorker.Event]]
        init(count: Int) {
            changed = Array(repeating: false, count: count)
            events = Array(repeating: [], count: count)
        }
        func set(_ index: Int, changed: Bool, events: [MojibakeLineWorker.Event]) {
            self.changed[index] = changed
            self.events[index] = events
        }
    }
}

/// The stage's work on whole lines: one per thread, each with its own repairer (which is not
/// thread-safe) and damage scanner.
struct MojibakeLineWorker {
    /// A report, with its offset relative to the text given to ``repair(_:into:events:)``: in
    /// its input for repairs, in its output for damage found by the scanner.
    enum Event {
        case input(RepairEvent)
        case output(RepairEvent)
    }

    private let repairer = MojibakeRepairer()
    private var scanner = DamageScanner()
    private let classes = IdeographClasses.shared.classes
    /// A suspicious line's scalars (reused), with each scalar's byte offset in it.
    private var scalars: [UInt32] = []
    private var scalarOffsets: [Int] = []

    var isScannerIdle: Bool { scanner.isIdle }

    mutating func resetScanner() { scanner = DamageScanner() }

    mutating func continueScanning(from other: MojibakeLineWorker) { scanner = other.scanner }

    mutating func finish(events: inout [Event]) {
        scanner.finish { events.append(.output(RepairEvent($0))) }
    }

    /// Repairs the lines of `text` (whole ``RegionSplitter`` pieces). Returns false, having
    /// written nothing, when nothing changed.
    ///
    /// Each line is read once, cheaply; only one with a suspicious character, characters of
    /// both scripts, or a backslash after a character whose Big5 form ends in 0x5C, goes to
    /// the repairer. Damage is looked for in the output.
    mutating func repair(_ text: UnsafeBufferPointer<UInt8>, into output: ByteBuffer, events: inout [Event]) -> Bool {
        let outputStart = output.count
        var changed = false
        var copiedUpTo = 0
        // Output bytes minus input bytes so far: unchanged text at input position p is at
        // output position p + growth.
        var growth = 0
        var lineStart = 0
        while lineStart < text.count {
            let lineEnd = RegionSplitter.pieceEnd(text, from: lineStart)
            let line = UnsafeBufferPointer(rebasing: text[lineStart..<lineEnd])
            let scannerBefore = scanner
            let (needsRepairer, lineDamage) = readLine(line, outputPosition: lineStart + growth)
            var found: (repairs: [MojibakeRepairer.Repair], lossyTails: [Range<Int>]) = ([], [])
            if needsRepairer {
                decodeScalars(line)
                found = repairer.findRepairs(in: scalars)
            }
            if found.repairs.isEmpty && found.lossyTails.isEmpty {
                events += lineDamage.map { .output(RepairEvent($0)) }
            } else {
                scanner = scannerBefore
                if !changed {
                    changed = true
                    output.append(UnsafeBufferPointer(rebasing: text[..<lineStart]))
                } else {
                    output.append(UnsafeBufferPointer(rebasing: text[copiedUpTo..<lineStart]))
                }
                let written = output.count
                emitRepaired(line, found, inputPosition: lineStart, outputPosition: lineStart + growth, into: output,
                             events: &events)
                growth += output.count - written - line.count
                copiedUpTo = lineEnd
            }
            lineStart = lineEnd
        }
        if changed { output.append(UnsafeBufferPointer(rebasing: text[copiedUpTo...])) }
        // A damage run still open goes on in the next call, whose offsets start after this output.
        scanner.shift(by: -(changed ? output.count - outputStart : text.count))
        return changed
    }

    /// Reads a line once: feeds the damage scanner (its findings are returned, to be reported
    /// once the line is known to stay as it is) and tells whether the repairer must see it.
    private mutating func readLine(_ line: UnsafeBufferPointer<UInt8>,
                                   outputPosition: Int) -> (needsRepairer: Bool, damage: [DamageScanner.Finding]) {
        var damage: [DamageScanner.Finding] = []
        let base = line.baseAddress!
        let end = base + line.count
        let table = CharacterProfileTable.embedded
        let classes = self.classes
        var simplifiedOnly = 0, traditionalOnly = 0
        var suspicion = 0
        var backslashDamage = false
        var previous: UInt32 = 0
        var position = 0
        while position < line.count {
            let byte = line[position]
            if byte < 0x80 && byte != 0x5C && byte != 0x3F && scanner.isIdle {
                // ASCII that starts no damage, eight bytes at a time where possible.
                position += 1
                while end - (base + position) >= 8 {
                    let word = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
                    guard word.isASCII, word.lanes(equalTo: 0x3F) | word.lanes(equalTo: 0x5C) == 0 else { break }
                    position += 8
                }
                previous = UInt32(line[position - 1])
                continue
            }
            // CJK punctuation (U+3000–U+303F) and fullwidth forms (U+FF00–U+FF5E): neutral.
            if (byte == 0xE3 || byte == 0xEF) && end - (base + position) >= 3 && scanner.isIdle {
                let second = line[position + 1], third = line[position + 2]
                if third & 0xC0 == 0x80
                    && ((byte == 0xE3 && second == 0x80) || (byte == 0xEF && (second == 0xBC || (second == 0xBD && third <= 0x9E)))) {
                    previous = UInt32(byte & 0x0F) << 12 | UInt32(second & 0x3F) << 6 | UInt32(third & 0x3F)
                    position += 3
                    continue
                }
            }
            // Fast path: a run of common ideographs of U+4E00–U+9FFF (lead bytes E4–E9) that
            // are neither suspicious nor start damage, with the scanner idle.
            if byte >= 0xE4 && byte <= 0xE9 && scanner.isIdle {
                let runStart = position
                while end - (base + position) >= 3 {
                    let lead = UInt32(line[position]), second = UInt32(line[position + 1]), third = UInt32(line[position + 2])
                    guard lead >= 0xE4 && lead <= 0xE9 && second & 0xC0 == 0x80 && third & 0xC0 == 0x80 else { break }
                    let scalar = (lead & 0x0F) << 12 | (second & 0x3F) << 6 | third & 0x3F
                    guard scalar >= 0x4E00 else { break }
                    let ideographClass = classes[Int(scalar - 0x4E00)]
                    guard ideographClass & IdeographClasses.interesting == 0 else { break }
                    simplifiedOnly &+= Int(ideographClass >> 1 & 1)
                    traditionalOnly &+= Int(ideographClass >> 2 & 1)
                    previous = scalar
                    position += 3
                }
                // Without progress, the character is one to look at: decode it below.
                if position != runStart { continue }
            }
            let (scalar, length) = UTF8Scalar.decode(base + position, end: end)
            if scalar == 0x5C {
                backslashDamage = backslashDamage || repairer.mayPrecedeBackslashDamage(previous)
            } else if scalar >= 0x80 && scalar != UTF8Scalar.invalid {
                suspicion += MojibakeRepairer.suspicion(scalar, table: table)
            }
            if scanner.isIdle {
                if !DamageScanner.startsRun(scalar) {
                    previous = scalar
                    position += length
                    continue
                }
                scanner.pass(last: previous)
            }
            scanner.feed(scalar, offset: outputPosition + position, length: length) { damage.append($0) }
            previous = scalar
            position += length
        }
        if scanner.isIdle { scanner.pass(last: previous) }
        // A line of one script with characters of the other may hold Big5 ⇄ GBK mojibake made
        // of ordinary characters.
        let mixedScripts = (simplifiedOnly > 0 && traditionalOnly >= 2) || (traditionalOnly > 0 && simplifiedOnly >= 2)
        return (suspicion >= MojibakeRepairer.suspicionToTry || backslashDamage || mixedScripts, damage)
    }

    /// Writes `line` with `found` applied, reports each repair and lossy tail, and scans
    /// the result for damage.
    private mutating func emitRepaired(_ line: UnsafeBufferPointer<UInt8>,
                                       _ found: (repairs: [MojibakeRepairer.Repair], lossyTails: [Range<Int>]),
                                       inputPosition: Int, outputPosition: Int, into output: ByteBuffer,
                                       events: inout [Event]) {
        let base = line.baseAddress!
        let start = output.count
        var copied = 0
        for repair in found.repairs {
            let from = scalarOffsets[repair.range.lowerBound], to = scalarOffsets[repair.range.upperBound]
            output.append(UnsafeBufferPointer(rebasing: line[copied..<from]))
            let replacement = Array(String(String.UnicodeScalarView(repair.replacement.compactMap(Unicode.Scalar.init))).utf8)
            replacement.withUnsafeBufferPointer(output.append)
            events.append(.input(RepairEvent(
                offset: inputPosition + from,
                original: String(decoding: UnsafeBufferPointer(start: base + from, count: to - from), as: UTF8.self),
                replacement: String(decoding: replacement, as: UTF8.self), rule: "mojibake",
                reason: "\(repair.recipe.rawValue): \(repair.recipe.summary)",
                scores: repair.recipe == .big5Backslash ? nil : (repair.scoreBefore, repair.scoreAfter))))
            copied = to
        }
        output.append(UnsafeBufferPointer(rebasing: line[copied...]))
        for tail in found.lossyTails {
            let from = scalarOffsets[tail.lowerBound], to = min(scalarOffsets[tail.upperBound], line.count)
            events.append(.input(RepairEvent(
                offset: inputPosition + from,
                original: String(decoding: UnsafeBufferPointer(start: base + from, count: to - from), as: UTF8.self),
                replacement: nil, rule: "damage", reason: DamageKind.lossyTail.rawValue)))
        }
        let written = UnsafeBufferPointer(start: output.base + start, count: output.count - start)
        let end = written.baseAddress! + written.count
        var position = 0
        while position < written.count {
            let (scalar, length) = UTF8Scalar.decode(written.baseAddress! + position, end: end)
            scanner.feed(scalar, offset: outputPosition + position, length: length) { events.append(.output(RepairEvent($0))) }
            position += length
        }
    }

    /// Decodes `text` into `scalars`; an ill-formed byte becomes U+FFFF, which no recipe uses.
    private mutating func decodeScalars(_ text: UnsafeBufferPointer<UInt8>) {
        scalars.removeAll(keepingCapacity: true)
        scalarOffsets.removeAll(keepingCapacity: true)
        let base = text.baseAddress!
        let end = base + text.count
        var position = 0
        while position < text.count {
            let (scalar, length) = UTF8Scalar.decode(base + position, end: end)
            scalars.append(scalar == UTF8Scalar.invalid ? 0xFFFF : scalar)
            scalarOffsets.append(position)
            position += length
        }
        scalarOffsets.append(text.count)
    }
}

/// One byte for each ideograph of U+4E00–U+9FFF, for the fast path of a line's first read:
/// whether it must be looked at (suspicious, as mojibake is made of, or starting damage: 锟,
/// 烫, 屯), and whether it is Simplified-only or Traditional-only (a line mixing the two is
/// looked at too). 20 KiB, made once from the character profiles.
final class IdeographClasses: @unchecked Sendable {
    // @unchecked: written once, in the initializer, then only read.
    static let interesting: UInt8 = 1
    static let simplifiedOnly: UInt8 = 2
    static let traditionalOnly: UInt8 = 4

    static let shared = IdeographClasses()

    let classes: UnsafeMutablePointer<UInt8>

    private init() {
        let table = CharacterProfileTable.embedded
        classes = .allocate(capacity: 0xA000 - 0x4E00)
        for scalar in UInt32(0x4E00)..<0xA000 {
            var value: UInt8 = 0
            if MojibakeRepairer.isSuspicious(scalar, table: table) || DamageScanner.startsRun(scalar) { value |= Self.interesting }
            if table.isSimplifiedOnly(scalar) { value |= Self.simplifiedOnly }
            if table.isTraditionalOnly(scalar) { value |= Self.traditionalOnly }
            (classes + Int(scalar - 0x4E00)).initialize(to: value)
        }
    }
}

extension RepairEvent {
    /// The event for damage found in the repaired text.
    init(_ finding: DamageScanner.Finding) {
        let length = finding.range.count
        let original: String
        switch finding.kind {
        case .replacementCharacter: original = String(repeating: "\u{FFFD}", count: length / 3)
        case .kunjinkao: original = String(repeating: "锟斤拷", count: length / 9)
        case .tangtang: original = String(repeating: "烫", count: length / 3)
        case .tuntun: original = String(repeating: "屯", count: length / 3)
        case .questionMarks, .lossyTail: original = String(repeating: "?", count: length)
        }
        self.init(offset: finding.range.lowerBound, original: original, replacement: nil, rule: "damage",
                  reason: finding.kind.rawValue)
    }
}
