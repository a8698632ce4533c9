/// Streams text through a ``MojibakeRepairer`` and a ``DamageScanner``.
///
/// The text is taken line by line (``RegionSplitter``: very long lines in pieces); the tail of
/// a chunk after its last newline waits for the next chunk. So the output does not depend on
/// where chunks end. Text with nothing to repair passes on without a copy.
///
/// The input must be well-formed UTF-8 (a validation stage runs first); should an ill-formed
/// byte get through (`--invalid=pass`), it is copied and never part of a repair.
struct MojibakeRepairStage: StreamingStage {
    private let repairer: MojibakeRepairer
    private let report: ((RepairEvent) -> Void)?
    private let reportDamage: (DamageScanner.Finding) -> Void
    private var scanner = DamageScanner()
    private let pending = ByteBuffer(capacity: 1024)
    /// Stream offset of the first input byte not yet consumed.
    private var offset = 0
    /// Stream offset of the next output byte: where damage is found.
    private var outputOffset = 0
    /// A suspicious line's scalars (reused), with each scalar's byte offset in it.
    private var scalars: [UInt32] = []
    private var scalarOffsets: [Int] = []

    init(repairer: MojibakeRepairer = MojibakeRepairer(), report: ((RepairEvent) -> Void)?) {
        self.repairer = repairer
        self.report = report
        reportDamage = { finding in report?(RepairEvent(finding)) }
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
        if isFinal { scanner.finish(report: reportDamage) }
        return unchanged
    }

    /// Repairs whole regions. Returns false, having written nothing, when nothing changed:
    /// the caller passes the text on as it is.
    ///
    /// Each line (``RegionSplitter`` piece) is read once, cheaply; only one with two
    /// suspicious characters, or a backslash after a character whose Big5 form ends in 0x5C,
    /// goes to the repairer. Damage is looked for in the output.
    private mutating func repairRegions(_ text: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) -> Bool {
        guard !text.isEmpty else { return false }
        var changed = false
        var copiedUpTo = 0
        // Output bytes minus input bytes so far in this region: unchanged text at input
        // position p is at output offset outputOffset + p + growth.
        var growth = 0
        var lineStart = 0
        while lineStart < text.count {
            let lineEnd = RegionSplitter.pieceEnd(text, from: lineStart)
            let line = UnsafeBufferPointer(rebasing: text[lineStart..<lineEnd])
            let scannerBefore = scanner
            let (needsRepairer, lineDamage) = readLine(line, outputPosition: outputOffset + lineStart + growth)
            var found: (repairs: [MojibakeRepairer.Repair], lossyTails: [Range<Int>]) = ([], [])
            if needsRepairer {
                decodeScalars(line)
                found = repairer.findRepairs(in: scalars)
            }
            if found.repairs.isEmpty && found.lossyTails.isEmpty {
                lineDamage.forEach(reportDamage)
            } else {
                scanner = scannerBefore
                if !changed {
                    changed = true
                    output.append(UnsafeBufferPointer(rebasing: text[..<lineStart]))
                } else {
                    output.append(UnsafeBufferPointer(rebasing: text[copiedUpTo..<lineStart]))
                }
                let written = output.count
                emitRepaired(line, found, streamOffset: offset + lineStart, outputPosition: outputOffset + lineStart + growth,
                             into: output)
                growth += output.count - written - line.count
                copiedUpTo = lineEnd
            }
            lineStart = lineEnd
        }
        if changed { output.append(UnsafeBufferPointer(rebasing: text[copiedUpTo...])) }
        outputOffset += text.count + growth
        offset += text.count
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
        let interesting = Self.interestingIdeographs
        let simplifiedForms = Self.simplifiedOnlyIdeographs, traditionalForms = Self.traditionalOnlyIdeographs
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
                    guard word & 0x8080_8080_8080_8080 == 0, !Self.hasByte(0x3F, in: word), !Self.hasByte(0x5C, in: word) else { break }
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
            // Fast path: a common ideograph of U+4E00–U+9FFF (lead bytes E4–E9), which
            // neither is suspicious nor starts damage, with the scanner idle.
            if byte >= 0xE4 && byte <= 0xE9 && end - (base + position) >= 3 && scanner.isIdle {
                let second = UInt32(line[position + 1]), third = UInt32(line[position + 2])
                if second & 0xC0 == 0x80 && third & 0xC0 == 0x80 {
                    let scalar = UInt32(byte & 0x0F) << 12 | (second & 0x3F) << 6 | third & 0x3F
                    if scalar >= 0x4E00 && !interesting.contains(scalar) {
                        simplifiedOnly += simplifiedForms.contains(scalar) ? 1 : 0
                        traditionalOnly += traditionalForms.contains(scalar) ? 1 : 0
                        previous = scalar
                        position += 3
                        continue
                    }
                }
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
                                       streamOffset: Int, outputPosition: Int, into output: ByteBuffer) {
        let base = line.baseAddress!
        let start = output.count
        var copied = 0
        for repair in found.repairs {
            let from = scalarOffsets[repair.range.lowerBound], to = scalarOffsets[repair.range.upperBound]
            output.append(UnsafeBufferPointer(rebasing: line[copied..<from]))
            let replacement = Array(String(String.UnicodeScalarView(repair.replacement.compactMap(Unicode.Scalar.init))).utf8)
            replacement.withUnsafeBufferPointer(output.append)
            report?(RepairEvent(
                offset: streamOffset + from,
                original: String(decoding: UnsafeBufferPointer(start: base + from, count: to - from), as: UTF8.self),
                replacement: String(decoding: replacement, as: UTF8.self), rule: "mojibake",
                reason: "\(repair.recipe.rawValue): \(repair.recipe.summary)",
                scores: repair.recipe == .big5Backslash ? nil : (repair.scoreBefore, repair.scoreAfter)))
            copied = to
        }
        output.append(UnsafeBufferPointer(rebasing: line[copied...]))
        for tail in found.lossyTails {
            let from = scalarOffsets[tail.lowerBound], to = min(scalarOffsets[tail.upperBound], line.count)
            report?(RepairEvent(
                offset: streamOffset + from,
                original: String(decoding: UnsafeBufferPointer(start: base + from, count: to - from), as: UTF8.self),
                replacement: nil, rule: "damage", reason: DamageKind.lossyTail.rawValue))
        }
        let written = UnsafeBufferPointer(start: output.base + start, count: output.count - start)
        let end = written.baseAddress! + written.count
        var position = 0
        while position < written.count {
            let (scalar, length) = UTF8Scalar.decode(written.baseAddress! + position, end: end)
            scanner.feed(scalar, offset: outputPosition + position, length: length, report: reportDamage)
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

extension MojibakeRepairStage {
    /// Whether any byte of `word` equals `byte` (the classic has-zero-byte test).
    @inline(__always)
    static func hasByte(_ byte: UInt8, in word: UInt64) -> Bool {
        let x = word ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }

    /// The ideographs of U+4E00–U+9FFF a line must be looked at for: the suspicious ones
    /// (rare, as mojibake is made of) and those that start damage (锟, 烫, 屯). A bitmap of
    /// 2.6 KiB, made once from the character profiles.
    struct IdeographBitmap: @unchecked Sendable {
        // @unchecked: written once, in the initializer, then only read.
        private let words: UnsafeMutablePointer<UInt64>

        init(_ predicate: (UInt32) -> Bool) {
            words = .allocate(capacity: (0xA000 - 0x4E00) / 64)
            words.initialize(repeating: 0, count: (0xA000 - 0x4E00) / 64)
            for scalar in UInt32(0x4E00)..<0xA000 where predicate(scalar) {
                words[Int(scalar - 0x4E00) >> 6] |= 1 << ((scalar - 0x4E00) & 63)
            }
        }

        /// `scalar` in U+4E00–U+9FFF.
        @inline(__always)
        func contains(_ scalar: UInt32) -> Bool {
            words[Int(scalar &- 0x4E00) >> 6] >> ((scalar &- 0x4E00) & 63) & 1 != 0
        }
    }

    static let interestingIdeographs = IdeographBitmap { scalar in
        MojibakeRepairer.isSuspicious(scalar, table: .embedded) || DamageScanner.startsRun(scalar)
    }

    /// The Simplified-only and Traditional-only ideographs of U+4E00–U+9FFF, to tell a line
    /// that mixes the scripts.
    static let simplifiedOnlyIdeographs = IdeographBitmap { CharacterProfileTable.embedded.isSimplifiedOnly($0) }
    static let traditionalOnlyIdeographs = IdeographBitmap { CharacterProfileTable.embedded.isTraditionalOnly($0) }
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
