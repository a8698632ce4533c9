/// Streams text through a ``MojibakeRepairer`` and a ``DamageScanner``.
///
/// The text is taken in regions (``RegionSplitter``) that end after ASCII characters, which no
/// garbled stretch spans; the tail of a chunk after its last such character waits for the
/// next chunk. So the output does not depend on where chunks end. A region with no suspicious
/// character passes through as it is.
///
/// The input must be well-formed UTF-8 (a validation stage runs first); should an ill-formed
/// byte get through (`--invalid=pass`), it is copied and never part of a repair.
struct MojibakeRepairStage: StreamingStage {
    private let repairer: MojibakeRepairer
    private let report: ((RepairEvent) -> Void)?
    private let reportDamage: (DamageScanner.Finding) -> Void
    private var scanner = DamageScanner()
    private let pending = ByteBuffer(capacity: 1024)
    /// Stream offset of the first byte not yet consumed.
    private var offset = 0
    /// Stream offset of the output: where damage is found.
    private var outputOffset = 0
    /// The region's scalars (reused), with each scalar's byte offset in the region.
    private var scalars: [UInt32] = []
    private var scalarOffsets: [Int] = []

    init(repairer: MojibakeRepairer = MojibakeRepairer(), report: ((RepairEvent) -> Void)?) {
        self.repairer = repairer
        self.report = report
        reportDamage = { finding in report?(RepairEvent(finding)) }
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        if pending.isEmpty {
            let end = isFinal ? input.count : RegionSplitter.regionsEnd(input)
            repairRegions(UnsafeBufferPointer(rebasing: input[..<end]), into: output)
            pending.append(UnsafeBufferPointer(rebasing: input[end...]))
        } else {
            pending.append(input)
            let joined = pending.bytes
            let end = isFinal ? joined.count : RegionSplitter.regionsEnd(joined)
            repairRegions(UnsafeBufferPointer(rebasing: joined[..<end]), into: output)
            pending.removeFirst(end)
        }
        if isFinal { scanner.finish(report: reportDamage) }
        return nil
    }

    /// Repairs whole regions: those with nothing to repair are copied.
    private mutating func repairRegions(_ text: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) {
        guard let base = text.baseAddress, !text.isEmpty else { return }
        decodeScalars(text)
        let found = repairer.findRepairs(in: scalars)
        scalarOffsets.append(text.count)
        var copied = 0
        for repair in found.repairs {
            let start = scalarOffsets[repair.range.lowerBound], end = scalarOffsets[repair.range.upperBound]
            scan(UnsafeBufferPointer(rebasing: text[copied..<start]), into: output)
            let replacement = Array(String(String.UnicodeScalarView(repair.replacement.compactMap(Unicode.Scalar.init))).utf8)
            replacement.withUnsafeBufferPointer { scan($0, into: output) }
            if let report {
                report(RepairEvent(
                    offset: offset + start,
                    original: String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self),
                    replacement: String(decoding: replacement, as: UTF8.self), rule: "mojibake",
                    reason: "\(repair.recipe.rawValue): \(repair.recipe.summary)",
                    scores: repair.recipe == .big5Backslash ? nil : (repair.scoreBefore, repair.scoreAfter)))
            }
            copied = end
        }
        scan(UnsafeBufferPointer(rebasing: text[copied...]), into: output)
        if let report {
            for tail in found.lossyTails {
                let start = scalarOffsets[tail.lowerBound], end = scalarOffsets[tail.upperBound]
                report(RepairEvent(
                    offset: offset + start,
                    original: String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self),
                    replacement: nil, rule: "damage", reason: DamageKind.lossyTail.rawValue))
            }
        }
        offset += text.count
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
    }

    /// Appends `bytes` to the output, looking for damage on the way.
    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        output.append(bytes)
        let end = base + bytes.count
        var position = 0
        while position < bytes.count {
            let (scalar, length) = UTF8Scalar.decode(base + position, end: end)
            scanner.feed(scalar, offset: outputOffset + position, length: length, report: reportDamage)
            position += length
        }
        outputOffset += bytes.count
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
