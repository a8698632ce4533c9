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
struct PhraseMatcher: @unchecked Sendable {
    // @unchecked: every pointer addresses the immutable embedded tables.
    typealias Node = TableFormat.Node
    typealias Child = TableFormat.Child
    typealias Entry = TableFormat.Entry

    let name: String
    let maxKeyScalars: Int
    /// Output bytes per input byte, at most.
    let maxExpansion: Int
    private let stage1: UnsafePointer<UInt16>
    private let stage2: UnsafePointer<Entry>
    private let bigrams: UnsafePointer<UInt32>?
    private let bigramTable: UnsafePointer<TableFormat.BigramSlot>
    private let bigramMask: UInt32
    private let nodes: UnsafePointer<Node>
    private let children: UnsafePointer<Child>
    private let pool: UnsafePointer<UInt8>
    private let asciiStartsLow: UInt64
    private let asciiStartsHigh: UInt64
    private let leadBytes: UnsafePointer<UInt32>

    init(tables: CompiledTables, index: UInt32) {
        typealias Field = TableFormat.MatcherField
        let record = tables.matcherRecord(index)
        func field(_ f: Field) -> UInt32 { tables.word(f.rawValue, at: record) }
        name = tables.string(offset: field(.nameOffset), length: field(.nameLength))
        maxKeyScalars = Int(field(.maxKeyScalars))
        maxExpansion = Int(field(.maxExpansion))
        stage1 = tables.pointer(at: field(.stage1Offset), as: UInt16.self)
        stage2 = tables.pointer(at: field(.stage2Offset), as: Entry.self)
        let bigramOffset = field(.bigramFilterOffset)
        bigrams = bigramOffset == 0 ? nil : tables.pointer(at: bigramOffset, as: UInt32.self)
        bigramTable = tables.pointer(at: field(.bigramTableOffset), as: TableFormat.BigramSlot.self)
        bigramMask = field(.bigramTableMask)
        nodes = tables.pointer(at: field(.nodesOffset), as: Node.self)
        children = tables.pointer(at: field(.childrenOffset), as: Child.self)
        pool = tables.poolBase
        asciiStartsLow = UInt64(field(.asciiStartMask0)) | UInt64(field(.asciiStartMask1)) << 32
        asciiStartsHigh = UInt64(field(.asciiStartMask2)) | UInt64(field(.asciiStartMask3)) << 32
        leadBytes = tables.pointer(at: record + UInt32(Field.leadByteMask0.rawValue * 4), as: UInt32.self)
    }

    @inline(__always)
    private func entry(_ scalar: UInt32) -> Entry {
        let block = UInt32(stage1[Int(truncatingIfNeeded: scalar >> 8)])
        return stage2[Int(truncatingIfNeeded: block << 8 | scalar & 0xFF)]
    }

    @inline(__always)
    private func mayContinue(_ first: UInt32, _ second: UInt32) -> Bool {
        guard let bigrams else { return false }
        let bit = TableFormat.bigramHash(first, second)
        return bigrams[Int(bit >> 5)] >> (bit & 31) & 1 != 0
    }

    @inline(__always)
    private func child(of node: Node, _ scalar: UInt32) -> UInt32 {
        var low = Int(node.childStart)
        var high = low + Int(node.childCount)
        while low < high {
            let middle = (low &+ high) >> 1
            let candidate = children[middle].scalar
            if candidate == scalar { return children[middle].node }
            if candidate < scalar { low = middle &+ 1 } else { high = middle }
        }
        return 0
    }

    @inline(__always)
    func isASCIIKeyStart(_ byte: UInt8) -> Bool {
        byte < 64 ? asciiStartsLow >> UInt64(byte) & 1 != 0 : asciiStartsHigh >> UInt64(byte &- 64) & 1 != 0
    }

    /// Whether any key could start in `input`: a scan of lead bytes, then a lookup at each hit.
    /// Complexity: O(n), a few cycles per byte.
    func mayMatch(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = input.baseAddress else { return false }
        let end = start + input.count
        var p = start
        while p < end {
            let byte = p[0]
            if leadBytes[Int(byte >> 5)] >> UInt32(byte & 31) & 1 != 0 {
                let (scalar, _) = UTF8Scalar.decode(p, end: end)
                if scalar != UTF8Scalar.invalid && entry(scalar).info != 0 { return true }
            }
            p += 1
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

        /// Writes the value at `out`, which must have three bytes of slack past the value.
        @inline(__always)
        func write(to out: UnsafeMutablePointer<UInt8>) {
            if let pooledValue {
                out.update(from: pooledValue, count: valueLength)
            } else {
                UnsafeMutableRawPointer(out).storeBytes(of: inlineValue.littleEndian, as: UInt32.self)
            }
        }
    }

    /// OpenCC's match for the key that starts at `p` with `first` (`firstLength` bytes),
    /// reading no further than `end`; nil when no key matches.
    @inline(__always)
    func match(at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, first: UInt32, firstLength: Int) -> Match? {
        let entry = self.entry(first)
        guard entry.info != 0 else { return nil }
        var best: Match?
        var bestPriority = entry.info >> 4 & 0xF
        let inlineLength = Int(entry.info & 7)
        let secondStart = p + firstLength
        if inlineLength != 0 {
            best = Match(inlineValue: entry.inlineValue, pooledValue: nil, valueLength: inlineLength, end: secondStart)
        } else if entry.info & Entry.nodeValueBit != 0 {
            let node = nodes[Int(entry.info >> Entry.nodeShift)]
            best = Match(inlineValue: 0, pooledValue: pool + Int(node.valueOffset),
                         valueLength: Int(node.valueInfo & 0xFFFF), end: secondStart)
        }
        guard entry.info & Entry.longerKeysBit != 0, secondStart < end else { return best }
        let (second, secondLength) = UTF8Scalar.decode(secondStart, end: end)
        guard mayContinue(first, second), let slot = bigramSlot(first, second) else { return best }
        let afterSecond = secondStart + secondLength
        if slot.value & TableFormat.BigramSlot.terminalBit != 0 {
            let priority = slot.value >> 27 & 0xF
            if best == nil || priority <= bestPriority {
                best = Match(inlineValue: 0, pooledValue: pool + Int(slot.value & 0x1F_FFFF),
                             valueLength: Int(slot.value >> 21 & 0x3F), end: afterSecond)
                bestPriority = priority
            }
        }
        guard slot.node & TableFormat.BigramSlot.hasChildrenBit != 0 else { return best }
        return walkTrie(from: slot.node & ~TableFormat.BigramSlot.hasChildrenBit, at: afterSecond, end: end,
                        best: best, bestPriority: best == nil ? .max : bestPriority)
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

    /// Walks the trie below a two-scalar prefix, keeping the best key end by priority.
    private func walkTrie(from startNode: UInt32, at start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>,
                          best: Match?, bestPriority: UInt32) -> Match? {
        var node = nodes[Int(startNode)]
        var cursor = start
        var best = best
        var bestPriority = bestPriority
        while node.childCount != 0 && cursor < end {
            let (scalar, length) = UTF8Scalar.decode(cursor, end: end)
            guard scalar != UTF8Scalar.invalid else { break }
            let nodeIndex = child(of: node, scalar)
            guard nodeIndex != 0 else { break }
            node = nodes[Int(nodeIndex)]
            cursor += length
            if node.valueInfo & Node.terminalBit != 0 {
                let priority = node.valueInfo >> 16 & 0xFF
                if priority <= bestPriority {
                    best = Match(inlineValue: 0, pooledValue: pool + Int(node.valueOffset),
                                 valueLength: Int(node.valueInfo & 0xFFFF), end: cursor)
                    bestPriority = priority
                }
            }
        }
        return best
    }

    /// Converts `input` by forward maximum matching, appending to `output`.
    ///
    /// Bytes that start no key are copied unchanged, ill-formed UTF-8 included; the return
    /// value says whether there was any, so that callers can apply their policy on the cold
    /// path without a separate validation pass.
    /// Complexity: O(n · k log d) for n input bytes, k the longest key, d the widest trie node;
    /// in practice a few table loads per character.
    @discardableResult
    func convert(_ input: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) -> Bool {
        guard var p = input.baseAddress, !input.isEmpty else { return false }
        output.reserve(input.count * maxExpansion + 8)
        let end = p + input.count
        var out = output.end
        var sawInvalid = false
        while p < end {
            let lead = p[0]
            if lead < 0x80 && !isASCIIKeyStart(lead) {
                out[0] = lead
                out += 1
                p += 1
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar == UTF8Scalar.invalid {
                sawInvalid = true
            } else if let match = match(at: p, end: end, first: scalar, firstLength: length) {
                match.write(to: out)
                out += match.valueLength
                p = match.end
                continue
            }
            out[0] = p[0]
            if length > 1 {
                out[1] = p[1]
                if length > 2 { out[2] = p[2] }
                if length > 3 { out[3] = p[3] }
            }
            out += length
            p += length
        }
        output.count = out - output.base
        return sawInvalid
    }

    /// The end of the segment that starts at `start` under OpenCC's maximum-match
    /// segmentation: a matched key is a segment of its own, and a run of unmatched characters
    /// is one segment.
    func segmentEnd(from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var p = start
        while p < end {
            let lead = p[0]
            if lead < 0x80 && !isASCIIKeyStart(lead) {
                p += 1
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar != UTF8Scalar.invalid, let match = match(at: p, end: end, first: scalar, firstLength: length) {
                return p == start ? match.end : p
            }
            p += length
        }
        return end
    }
}
