import HanFixTableFormat

/// One compiled dictionary group: finds OpenCC's match at a position and writes its value.
///
/// Lookups are layered so that the common cases stay in small, cache-resident tables:
/// 1. a two-stage table indexed by the first scalar gives an ``TableFormat/Entry`` holding a
///    one-scalar key's value inline;
/// 2. a 128 KiB bigram filter says whether a longer key may start with the first two scalars;
/// 3. only then is a hash table of two-scalar prefixes probed, which gives the two-scalar
///    key's value and the trie node from which longer keys are walked, edges sorted by scalar.
///
/// Group policies are folded into node priorities by the compiler (`MatcherBuilder`), so one
/// rule picks the match: while walking, a key's end replaces the best match so far when its
/// priority is lower or equal.
/// A bigram filter with no bit set, for matchers without multi-scalar keys: 2^`bits` bits.
nonisolated(unsafe) private let emptyBigramFilter: (bits: UInt32, words: UnsafePointer<UInt32>) = {
    let bits = TableFormat.bigramFilterBits(pairs: 0)
    let words = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << (Int(bits) - 5))
    words.initialize(repeating: 0, count: 1 << (Int(bits) - 5))
    return (bits, UnsafePointer(words))
}()

struct PhraseMatcher: @unchecked Sendable {
    // @unchecked: every pointer addresses the immutable embedded tables.
    typealias Node = TableFormat.Node
    typealias Child = TableFormat.Child
    typealias Entry = TableFormat.Entry

    /// Output bytes per input byte, at most.
    let maxExpansion: Int
    private let stage1: UnsafePointer<UInt16>
    private let stage2: UnsafePointer<Entry>
    private let bigrams: UnsafePointer<UInt32>?
    /// The bigram filter's size in bits, log 2.
    private let bigramBits: UInt32
    private let bigramTable: UnsafePointer<TableFormat.BigramSlot>
    private let bigramMask: UInt32
    private let nodes: UnsafePointer<Node>
    private let children: UnsafePointer<Child>
    let pool: UnsafePointer<UInt8>
    private let asciiStartsLow: UInt64
    private let asciiStartsHigh: UInt64
    private let asciiStops: ASCIIStops
    private let leadBytes: UnsafePointer<UInt32>
    /// The lowest byte set in `leadBytes`.
    private let minimumLeadByte: UInt8
    /// HanFix's engine: resolve greedy matches that cross a word (`PhraseMatcher+Lattice`);
    /// nil for OpenCC's plain greedy matching.
    let lexicon: Lexicon?
    /// The pairs around opaque keys where a word may cross them
    /// (``TableFormat/crossingBits(_:_:before:bits:)``); nil when the tables have none.
    let crossingFilter: UnsafePointer<UInt32>?
    let crossingFilterBits: UInt32
    /// One-scalar keys with other candidates (`PhraseMatcher+Ambiguity`).
    let alternatives: UnsafePointer<UInt32>
    let alternativesCount: Int
    /// Keep one-to-many characters no phrase decides (``ConversionOptions/conservative``).
    var conservative = false

    init(tables: CompiledTables, index: UInt32, lexicon: Lexicon? = nil) {
        self.lexicon = lexicon
        typealias Field = TableFormat.MatcherField
        let record = tables.matcherRecord(index)
        func field(_ f: Field) -> UInt32 { tables.word(f.rawValue, at: record) }
        maxExpansion = Int(field(.maxExpansion))
        stage1 = tables.pointer(at: field(.stage1Offset), as: UInt16.self)
        stage2 = tables.pointer(at: field(.stage2Offset), as: Entry.self)
        let bigramOffset = field(.bigramFilterOffset)
        bigrams = bigramOffset == 0 ? nil : tables.pointer(at: bigramOffset, as: UInt32.self)
        bigramBits = bigramOffset == 0 ? emptyBigramFilter.bits : field(.bigramFilterBits)
        let crossingOffset = field(.crossingFilterOffset)
        crossingFilter = crossingOffset == 0 ? nil : tables.pointer(at: crossingOffset, as: UInt32.self)
        crossingFilterBits = field(.crossingFilterBits)
        bigramTable = tables.pointer(at: field(.bigramTableOffset), as: TableFormat.BigramSlot.self)
        bigramMask = field(.bigramTableMask)
        nodes = tables.pointer(at: field(.nodesOffset), as: Node.self)
        children = tables.pointer(at: field(.childrenOffset), as: Child.self)
        pool = tables.poolBase
        alternatives = tables.pointer(at: field(.alternativesOffset), as: UInt32.self)
        alternativesCount = Int(field(.alternativesCount))
        asciiStartsLow = UInt64(field(.asciiStartMask0)) | UInt64(field(.asciiStartMask1)) << 32
        asciiStartsHigh = UInt64(field(.asciiStartMask2)) | UInt64(field(.asciiStartMask3)) << 32
        let (low, high) = (asciiStartsLow, asciiStartsHigh)
        asciiStops = ASCIIStops(keyStartBytes: (0..<128).filter { byte in
            (byte < 64 ? low >> UInt64(byte) : high >> UInt64(byte - 64)) & 1 != 0
        }.map(UInt8.init))
        let leadBytes = tables.pointer(at: record + UInt32(Field.leadByteMask0.rawValue * 4), as: UInt32.self)
        self.leadBytes = leadBytes
        minimumLeadByte = (0...255).first { leadBytes[$0 >> 5] >> UInt32($0 & 31) & 1 != 0 }.map(UInt8.init) ?? 0xFF
    }

    /// The first-level entry's info word of `scalar` (``TableFormat/Entry/info``).
    @inline(__always)
    func entryInfo(_ scalar: UInt32) -> UInt32 { entry(scalar).info }

    @inline(__always)
    private func entry(_ scalar: UInt32) -> Entry {
        let block = UInt32(stage1[Int(truncatingIfNeeded: scalar >> 8)])
        return stage2[Int(truncatingIfNeeded: block << 8 | scalar & 0xFF)]
    }

    /// The node reached from the edges `start..<start + count` by `scalar`, or 0.
    @inline(__always)
    private func child(in start: Int, count: Int, _ scalar: UInt32) -> UInt32 {
        var low = start
        var high = start + count
        while low < high {
            let middle = (low &+ high) >> 1
            let candidate = children[middle].scalar
            if candidate == scalar { return children[middle].node }
            if candidate < scalar { low = middle &+ 1 } else { high = middle }
        }
        return 0
    }

    /// Whether a key of two or more scalars may start with `first`, `second` (the bigram filter).
    @inline(__always)
    func mayStartLongerKey(_ first: UInt32, _ second: UInt32) -> Bool {
        guard let bigrams else { return false }
        return bigrams.hasBit(TableFormat.bigramHash(first, second, bits: bigramBits))
    }

    @inline(__always)
    func isASCIIKeyStart(_ byte: UInt8) -> Bool {
        byte < 64 ? asciiStartsLow >> UInt64(byte) & 1 != 0 : asciiStartsHigh >> UInt64(byte &- 64) & 1 != 0
    }

    /// Whether any key could start in `input`: a vector scan, 16 bytes at a time, for bytes
    /// as high as the lowest lead byte, then a lookup at each such byte.
    /// Complexity: O(n), a fraction of a cycle per byte when no byte is that high (the
    /// normalization matcher's case for Han text: its keys start with 0xEF or 0xF0).
    func mayMatch(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = input.baseAddress else { return false }
        let end = start + input.count
        var p = start
        if minimumLeadByte >= 0x80 {
            let lowestLead = SIMD16<UInt8>(repeating: minimumLeadByte)
            // A byte b ≥ m (m ≥ 0x80) has its high bit set and (b & 0x7F) + (0x80 - m & 0x7F)
            // reaching 0x80; no byte's sum carries into the next.
            let addend = UInt64.lanes(of: 0x80 - (minimumLeadByte & 0x7F))
            while end - p >= 16 {
                if any(UnsafeRawPointer(p).loadUnaligned(as: SIMD16<UInt8>.self) .>= lowestLead) {
                    // Fullwidth punctuation (0xEF 0xBC …) is common in Han text: look up only the
                    // lanes that may hold a lead byte.
                    for half in 0..<2 {
                        let word = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: 8 * half, as: UInt64.self)
                        var high = ((word & 0x7F7F_7F7F_7F7F_7F7F) &+ addend) & word & 0x8080_8080_8080_8080
                        while high != 0 {
                            let lane = p + 8 * half + high.trailingZeroBitCount >> 3
                            if hasMatchCandidate(lane, count: 1, end: end) { return true }
                            high &= high - 1
                        }
                    }
                }
                p += 16
            }
        }
        return hasMatchCandidate(p, count: end - p, end: end)
    }

    private func hasMatchCandidate(_ start: UnsafePointer<UInt8>, count: Int, end: UnsafePointer<UInt8>) -> Bool {
        for p in start..<(start + count) {
            let byte = p[0]
            if leadBytes[Int(byte >> 5)] >> UInt32(byte & 31) & 1 != 0 {
                // A three-byte sequence's first two bytes name its 256-scalar page: skip pages
                // without keys (fullwidth punctuation, for the normalization) without decoding.
                if byte & 0xF0 == 0xE0 && end - p >= 2
                    && stage1[Int(byte & 0x0F) << 4 | Int(p[1] & 0x3F) >> 2] == 0 {
                    continue
                }
                let (scalar, _) = UTF8Scalar.decode(p, end: end)
                if scalar != UTF8Scalar.invalid && entry(scalar).info != 0 { return true }
            }
        }
        return false
    }

    /// A match: its value, inline (one-scalar keys, up to four bytes) or in the pool, and
    /// where it ends in the input.
    struct Match {
        var inlineValue: UInt32
        var pooledValue: UnsafePointer<UInt8>?
        var valueLength: Int
        var end: UnsafePointer<UInt8>
        /// The key's priority: its dictionary's position in a `short_circuit` group.
        var priority: UInt32
        /// A key of two or more scalars whose value its scalars give one by one, and on whose
        /// inner pairs no longer key starts (``TableFormat/Node/transparentBit``).
        var isTransparent = false
        /// The key's last scalar, for keys of two or more scalars.
        var lastScalar: UInt32 = 0
        /// A context rule of three or more scalars (``TableFormat/Node/contextRuleBit``).
        var isContextRule = false

        /// Writes the value at `out`, which must have three bytes of slack past the value.
        @inline(__always)
        func write(to out: UnsafeMutablePointer<UInt8>) {
            if let pooledValue {
                out.copyBytes(from: pooledValue, count: valueLength)
            } else {
                UnsafeMutableRawPointer(out).storeBytes(of: inlineValue.littleEndian, as: UInt32.self)
            }
        }
    }

    /// OpenCC's match for the key that starts at `p` with `first` (`firstLength` bytes),
    /// reading no further than `end`; nil when no key matches. The conversion loop makes the
    /// same first-level decisions inline, to reuse the scalar it decodes for the bigram filter.
    func match(at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, first: UInt32, firstLength: Int) -> Match? {
        let entry = self.entry(first)
        guard entry.info != 0 else { return nil }
        let next = p + firstLength
        if entry.info & Entry.longerKeysBit != 0 && next < end, let bigrams {
            let (second, secondLength) = UTF8Scalar.decode(next, end: end)
            if second != UTF8Scalar.invalid && bigrams.hasBit(TableFormat.bigramHash(first, second, bits: bigramBits)) {
                return walk(entry, next: next, end: end, first: first, second: second, secondLength: secondLength)
            }
        }
        if entry.info & Entry.nodeValueBit != 0 { return nodeValueMatch(entry, end: next) }
        guard entry.info & 7 != 0 else { return nil }
        return Match(inlineValue: entry.inlineValue, pooledValue: nil, valueLength: Int(entry.info & 7), end: next,
                     priority: entry.info >> 4 & 0xF)
    }

    /// The slow path: the one-scalar key, then the bigram table, then the trie below it.
    /// `second` is ``UTF8Scalar/invalid`` when no longer key can match. Inlined, because a
    /// call returned its `Match?` through memory: 3.5 M instructions per MiB of s2t.
    @inline(__always)
    private func walk(_ entry: Entry, next: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>,
                      first: UInt32, second: UInt32, secondLength: Int) -> Match? {
        var best: Match?
        var bestPriority = UInt32.max
        let inlineLength = Int(entry.info & 7)
        if inlineLength != 0 {
            bestPriority = entry.info >> 4 & 0xF
            best = Match(inlineValue: entry.inlineValue, pooledValue: nil, valueLength: inlineLength, end: next,
                         priority: bestPriority)
        } else if entry.info & Entry.nodeValueBit != 0 {
            bestPriority = entry.info >> 4 & 0xF
            best = nodeValueMatch(entry, end: next)
        }
        guard second != UTF8Scalar.invalid, let slot = bigramSlot(first, second) else { return best }
        let afterSecond = next + secondLength
        if slot.value & TableFormat.BigramSlot.terminalBit != 0 {
            let priority = slot.value >> 27 & 0x7
            if priority <= bestPriority {
                best = Match(inlineValue: 0, pooledValue: pool + Int(slot.value & 0x1F_FFFF),
                             valueLength: Int(slot.value >> 21 & 0x3F), end: afterSecond, priority: priority,
                             isTransparent: slot.value & TableFormat.BigramSlot.transparentBit != 0, lastScalar: second)
                bestPriority = priority
            }
        }
        // Below two scalars: edges sorted by scalar, binary-searched; the slot holds the first
        // node's edges.
        var (childStart, childCount) = (slot.childStart, slot.childCount)
        var cursor = afterSecond
        while childCount != 0 && cursor < end {
            let (scalar, length) = UTF8Scalar.decode(cursor, end: end)
            guard scalar != UTF8Scalar.invalid else { break }
            let nodeIndex = child(in: childStart, count: childCount, scalar)
            guard nodeIndex != 0 else { break }
            let node = nodes[Int(nodeIndex)]
            (childStart, childCount) = (Int(node.childStart), Int(node.childCount))
            cursor += length
            if node.valueInfo & Node.terminalBit != 0 {
                let priority = node.valueInfo >> 16 & 0xFF
                if priority <= bestPriority {
                    best = Match(inlineValue: 0, pooledValue: pool + Int(node.valueOffset),
                                 valueLength: Int(node.valueInfo & 0xFFFF), end: cursor, priority: priority,
                                 isTransparent: node.valueInfo & Node.transparentBit != 0, lastScalar: scalar,
                                 isContextRule: node.valueInfo & Node.contextRuleBit != 0)
                    bestPriority = priority
                }
            }
        }
        return best
    }

    /// The match of a one-scalar key whose value, too long to be inline, is in its trie node.
    @inline(__always)
    private func nodeValueMatch(_ entry: Entry, end: UnsafePointer<UInt8>) -> Match {
        let node = nodes[Int(entry.info >> Entry.nodeShift)]
        return Match(inlineValue: 0, pooledValue: pool + Int(node.valueOffset), valueLength: Int(node.valueInfo & 0xFFFF),
                     end: end, priority: entry.info >> 4 & 0xF)
    }

    @inline(__always)
    private func bigramSlot(_ first: UInt32, _ second: UInt32) -> TableFormat.BigramSlot? {
        var index = TableFormat.bigramSlot(first, second, mask: bigramMask)
        while true {
            let slot = bigramTable[Int(index)]
            if slot.first == first && slot.second == second { return slot }
            if slot.first == 0 { return nil }
            index = (index &+ 1) & bigramMask
        }
    }

    /// Converts `input` by forward maximum matching, appending to `output`.
    ///
    /// Bytes that start no key are copied unchanged, ill-formed UTF-8 included; the return
    /// value says whether there was any, so that callers can apply their policy on the cold
    /// path without a separate validation pass. `barriers` carries segmentation (see
    /// ``Barriers``).
    ///
    /// The loop copies runs of ASCII eight bytes at a time, handles inline what most
    /// characters need (no key, or a one-scalar key whose continuation the bigram filter
    /// rules out) and walks the trie only for a likely phrase.
    /// Complexity: O(n · k log d) for n input bytes, k the longest key, d the widest trie node;
    /// in practice a few table loads per character.
    @discardableResult
    func convert(_ input: UnsafeBufferPointer<UInt8>, into output: ByteBuffer,
                 barriers: inout Barriers, recorder: AmbiguityRecorder? = nil) -> Bool {
        guard let start = input.baseAddress, !input.isEmpty else {
            barriers.finish(outputOffset: 0)
            return false
        }
        output.reserve(input.count * maxExpansion + 8)
        let outBase = output.end
        let end = start + input.count
        var p = start
        // Below `wordEnd`, eight bytes can be loaded at once; the output has that much slack.
        let wordEnd = input.count >= 8 ? end - 7 : p
        var out = output.end
        var sawInvalid = false
        // Locals, so that the loop keeps them in registers instead of reloading `self`.
        let stage1 = self.stage1, stage2 = self.stage2
        let bigrams = self.bigrams ?? emptyBigramFilter.words
        let bigramBits = self.bigramBits
        let asciiStops = self.asciiStops
        let recordingBound = barriers.recordingBound
        // One-to-many characters take the cold path only when they are reported or kept.
        let oneToManyMask = conservative || recorder != nil ? Entry.alternativesBit : 0
        // No match may extend past `limit`: the next barrier, or the end.
        var limit = start + barriers.cross(at: 0, outputOffset: 0, count: input.count)
        // Since `floor`, every step was one character: the lattice may look back that far.
        var floor = start
        while true {
            if p >= limit {
                if p >= end { break }
                limit = start + barriers.cross(at: p - start, outputOffset: out - outBase, count: input.count)
                floor = p
                continue
            }
            let lead = p[0]
            if lead < 0x80 {
                if p < wordEnd && limit - p >= 8 {
                    let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                    let stops = asciiStops.stops(in: word)
                    let plain = stops == 0 ? 8 : stops.trailingZeroBitCount >> 3
                    if plain > 0 {
                        UnsafeMutableRawPointer(out).storeBytes(of: word, as: UInt64.self)
                        out += plain
                        p += plain
                        continue
                    }
                } else if !isASCIIKeyStart(lead) {
                    out[0] = lead
                    out += 1
                    p += 1
                    continue
                }
            }
            var (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar == UTF8Scalar.invalid {
                sawInvalid = true
                out[0] = lead
                out += 1
                p += 1
                continue
            }
            // A run of non-ASCII characters: the scalar decoded for the bigram filter becomes
            // the next iteration's first scalar, so each character is decoded once.
            while true {
                let block = UInt32(stage1[Int(truncatingIfNeeded: scalar >> 8)])
                let entry = stage2[Int(truncatingIfNeeded: block << 8 | scalar & 0xFF)]
                let next = p + length
                var second = UTF8Scalar.invalid
                var secondLength = 1
                if entry.info & Entry.longerKeysBit != 0 && next < limit {
                    (second, secondLength) = UTF8Scalar.decode(next, end: limit)
                    if second != UTF8Scalar.invalid && bigrams.hasBit(TableFormat.bigramHash(scalar, second, bits: bigramBits)) {
                        if let match = walk(entry, next: next, end: limit, first: scalar, second: second,
                                            secondLength: secondLength) {
                            if match.end > next, let lexicon {
                                if let path = resolveCrossing(lexicon, keyStart: p, first: scalar, match: match,
                                                              floor: floor, limit: limit) {
                                    out = emit(path, rewindingFrom: p, out: out, outBase: outBase, inputStart: start,
                                               barriers: &barriers, recorder: recorder)
                                    p = path.end
                                    floor = p
                                    break
                                }
                                floor = match.end
                            }
                            var written = match.valueLength
                            if match.end == next && entry.info & oneToManyMask != 0 {
                                written = writeOneToMany(match, source: p, inputStart: start, out: out, recorder: recorder)
                            } else {
                                if match.end > next, let recorder { recordPhrase(match, from: p, inputStart: start, recorder: recorder) }
                                match.write(to: out)
                            }
                            if match.priority < recordingBound {
                                barriers.record(inputStart: p - start, inputEnd: match.end - start,
                                                outputStart: out - outBase, outputEnd: out - outBase + written)
                            }
                            out += written
                            p = match.end
                        } else {
                            out.copyBytes(from: p, count: length)
                            out += length
                            p = next
                        }
                        break
                    }
                }
                if entry.info & 7 != 0 {
                    var valueLength = Int(entry.info & 7)
                    if entry.info & oneToManyMask != 0 {
                        let single = Match(inlineValue: entry.inlineValue, pooledValue: nil, valueLength: valueLength,
                                           end: next, priority: entry.info >> 4 & 0xF)
                        valueLength = writeOneToMany(single, source: p, inputStart: start, out: out, recorder: recorder)
                    } else {
                        UnsafeMutableRawPointer(out).storeBytes(of: entry.inlineValue.littleEndian, as: UInt32.self)
                    }
                    if entry.info >> 4 & 0xF < recordingBound {
                        barriers.record(inputStart: p - start, inputEnd: next - start,
                                        outputStart: out - outBase, outputEnd: out - outBase + valueLength)
                    }
                    out += valueLength
                } else if entry.info & Entry.nodeValueBit != 0 {
                    let match = nodeValueMatch(entry, end: next)
                    var written = match.valueLength
                    if entry.info & oneToManyMask != 0 {
                        written = writeOneToMany(match, source: p, inputStart: start, out: out, recorder: recorder)
                    } else {
                        match.write(to: out)
                    }
                    if match.priority < recordingBound {
                        barriers.record(inputStart: p - start, inputEnd: next - start,
                                        outputStart: out - outBase, outputEnd: out - outBase + written)
                    }
                    out += written
                } else if p < wordEnd {
                    UnsafeMutableRawPointer(out).storeBytes(
                        of: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self), as: UInt32.self)
                    out += length
                } else {
                    out.copyBytes(from: p, count: length)
                    out += length
                }
                p = next
                // Go on in this loop only with a decoded non-ASCII scalar in hand.
                guard second != UTF8Scalar.invalid && second >= 0x80 else { break }
                scalar = second
                length = secondLength
            }
        }
        output.count = out - output.base
        barriers.finish(outputOffset: out - outBase)
        return sawInvalid
    }

    /// Walks `input` as ``convert(_:into:barriers:)`` does, with the keys of priority at most
    /// `maxPriority`, writing nothing: `body` gets the offset of each step and, for a matched
    /// key, the offset where it ends (nil for a character no such key starts, which is one
    /// step, as is each ill-formed subpart), and whether the parse starts afresh after it (a
    /// cut there cannot change what follows). Stops when `body` returns false. This is the
    /// parse of OpenCC's maximum-match segmentation, and, with every priority, a step's own.
    func parse(_ input: UnsafeBufferPointer<UInt8>, maxPriority: UInt32 = .max,
               _ body: (_ start: Int, _ matchEnd: Int?, _ isFresh: Bool) -> Bool) {
        guard let start = input.baseAddress else { return }
        let end = start + input.count
        var p = start
        // With the lattice, the last few one-character steps are held back, because a region
        // may begin before the key that triggers it.
        var heldBack = HeldBackSteps()
        var floor = start
        func report(_ step: ParseStep) -> Bool {
            guard lexicon != nil else { return body(step.start, step.matchEnd, true) }
            guard let oldest = heldBack.push(step) else { return true }
            return body(oldest.start, oldest.matchEnd, false)
        }
        /// Reports the held-back steps before `offset` and forgets the others.
        func flushHeldBack(before offset: Int) -> Bool {
            defer { heldBack.count = 0 }
            for index in 0..<heldBack.count {
                let step = heldBack[index]
                if step.start < offset && !body(step.start, step.matchEnd, false) { return false }
            }
            return true
        }
        func report(_ path: LatticePath) -> Bool {
            var going = true
            path.forEachSegment { segment in
                guard going else { return }
                forEachGreedyStep(from: segment.start, to: segment.end) { q, match, next in
                    guard going else { return }
                    let matchEnd = match.flatMap { $0.priority <= maxPriority ? next - start : nil }
                    going = body(q - start, matchEnd, next == path.end)
                }
            }
            return going
        }
        while p < end {
            let lead = p[0]
            var next = p + 1
            var matchEnd: Int?
            if lead >= 0x80 || isASCIIKeyStart(lead) {
                let (scalar, length) = UTF8Scalar.decode(p, end: end)
                if scalar == UTF8Scalar.invalid {
                    next = p + UTF8Scalar.maximalSubpartLength(p, end: end)
                } else if let match = match(at: p, end: end, first: scalar, firstLength: length) {
                    next = match.end
                    if match.priority <= maxPriority { matchEnd = match.end - start }
                    if next > p + length, let lexicon {
                        let path = resolveCrossing(lexicon, keyStart: p, first: scalar, match: match, floor: floor,
                                                   limit: end)
                        guard flushHeldBack(before: path.map { $0.start - start } ?? Int.max) else { return }
                        if let path {
                            guard report(path) else { return }
                            next = path.end
                        } else {
                            guard body(p - start, matchEnd, true) else { return }
                        }
                        floor = next
                        p = next
                        continue
                    }
                } else {
                    next = p + length
                }
            }
            guard report(ParseStep(start: p - start, matchEnd: matchEnd)) else { return }
            p = next
        }
        _ = flushHeldBack(before: Int.max)
    }
}

/// One step of ``PhraseMatcher/parse(_:maxPriority:_:)``.
struct ParseStep {
    var start: Int
    var matchEnd: Int?
}

/// The last one-character steps of a parse, held back in case a lattice region begins before
/// the key that triggers it: at most ``PhraseMatcher/lookBehindScalars``, in place.
struct HeldBackSteps {
    private var steps = (ParseStep(start: 0), ParseStep(start: 0), ParseStep(start: 0))
    var count = 0

    subscript(index: Int) -> ParseStep {
        switch index {
        case 0: return steps.0
        case 1: return steps.1
        default: return steps.2
        }
    }

    /// Holds `step`; returns the oldest step when that overflows the window.
    mutating func push(_ step: ParseStep) -> ParseStep? {
        switch count {
        case 0: steps.0 = step
        case 1: steps.1 = step
        case 2: steps.2 = step
        default:
            let oldest = steps.0
            steps = (steps.1, steps.2, step)
            return oldest
        }
        count += 1
        return nil
    }
}

/// Segment boundaries as they pass through the steps of a chain.
///
/// OpenCC converts each segment on its own; HanFix converts whole blocks and enforces the
/// segments as *barriers*, offsets that no match may cross. A step either ignores barriers,
/// records them (the step whose own parse is the segmentation), or respects the barriers in
/// its input and translates them to offsets in its output, for the next step.
struct Barriers {
    /// Barrier offsets in the current step's input, ascending.
    var input: [Int] = []
    /// Barrier offsets in the current step's output, filled in as it runs.
    private(set) var output: [Int] = []
    private var respecting = false
    private var index = 0
    /// Matches of keys of a priority below this are segments, recorded as barriers; 0
    /// records nothing.
    private(set) var recordingBound: UInt32 = 0
    /// Whether segments are recorded at their offsets in the step's input rather than its
    /// output: in a separate segmentation pass, whose output is thrown away.
    private var recordsInputOffsets = false

    /// Starts a block. The first step records the segments of its keys of at most
    /// `maxPriority`, or, with nil, converts without segmentation.
    mutating func startBlock(recording maxPriority: UInt32?) {
        input.removeAll(keepingCapacity: true)
        output.removeAll(keepingCapacity: true)
        respecting = false
        index = 0
        recordingBound = maxPriority.map { $0 + 1 } ?? 0
        recordsInputOffsets = false
    }

    /// Starts a block whose segmentation is a pass of its own: the segmenting matcher
    /// converts the block, recording the segments of its keys of at most `maxPriority` at
    /// their offsets in the block; then ``nextStep()`` hands them to the chain's first step.
    mutating func startSegmentationPass(maxPriority: UInt32) {
        startBlock(recording: maxPriority)
        recordsInputOffsets = true
    }

    /// Makes this step's output barriers the next step's input barriers.
    mutating func nextStep() {
        swap(&input, &output)
        output.removeAll(keepingCapacity: true)
        respecting = true
        index = 0
        recordingBound = 0
        recordsInputOffsets = false
    }

    /// Translates the barriers at or before `offset` to `outputOffset` and returns the next
    /// barrier after it, or `count` when there is none.
    @inline(__always)
    mutating func cross(at offset: Int, outputOffset: Int, count: Int) -> Int {
        guard respecting else { return count }
        while index < input.count && input[index] <= offset {
            output.append(outputOffset)
            index += 1
        }
        return index < input.count ? input[index] : count
    }

    /// Barriers at the end of the input map to the end of the output.
    mutating func finish(outputOffset: Int) {
        guard respecting else { return }
        while index < input.count {
            output.append(outputOffset)
            index += 1
        }
    }

    /// Records a segment: the match of input bytes `inputStart..<inputEnd`, written at
    /// `outputStart..<outputEnd`.
    @inline(__always)
    mutating func record(inputStart: Int, inputEnd: Int, outputStart: Int, outputEnd: Int) {
        output.append(recordsInputOffsets ? inputStart : outputStart)
        output.append(recordsInputOffsets ? inputEnd : outputEnd)
    }

    /// Forgets the segments recorded from input offset `inputOffset`, written from
    /// `outputOffset`, which are being redone.
    mutating func discardRecorded(fromInput inputOffset: Int, fromOutput outputOffset: Int) {
        let offset = recordsInputOffsets ? inputOffset : outputOffset
        while output.count >= 2 && output[output.count - 2] >= offset { output.removeLast(2) }
    }
}

/// Finds, eight bytes at a time, the bytes where plain ASCII copying must stop: non-ASCII
/// bytes and ASCII bytes that begin a key.
struct ASCIIStops {
    /// Up to four key-starting ASCII bytes, each repeated in eight lanes; unused patterns
    /// repeat 0x80, which only matches bytes already stopped for being non-ASCII.
    private let patterns: (UInt64, UInt64, UInt64, UInt64)
    /// More than four key-starting bytes: stop at every ASCII byte.
    private let stopAll: Bool

    init(keyStartBytes: [UInt8]) {
        let bytes = keyStartBytes + Array(repeating: 0x80, count: max(0, 4 - keyStartBytes.count))
        patterns = (.lanes(of: bytes[0]), .lanes(of: bytes[1]), .lanes(of: bytes[2]), .lanes(of: bytes[3]))
        stopAll = keyStartBytes.count > 4
    }

    /// A word whose lane i has its high bit set when byte i of `word` is a stop; bits above
    /// the lowest stop may be spurious, so callers use only the lowest.
    @inline(__always)
    func stops(in word: UInt64) -> UInt64 {
        if stopAll { return 0x8080_8080_8080_8080 }
        return word & 0x8080_8080_8080_8080
            | (word ^ patterns.0).zeroLanes | (word ^ patterns.1).zeroLanes
            | (word ^ patterns.2).zeroLanes | (word ^ patterns.3).zeroLanes
    }
}
