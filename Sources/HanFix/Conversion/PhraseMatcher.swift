import HanFixTableFormat

/// One compiled dictionary group: finds OpenCC's match at a position and writes its value.
///
/// The first scalar of a key is looked up in a two-stage table (two loads, no search); the
/// rest of the key walks a trie whose edges are sorted by scalar. Group policies are folded
/// into node priorities by the compiler (see `MatcherBuilder`), so one rule picks the match:
/// while walking, a key's end replaces the best match so far when its priority is lower or
/// equal.
struct PhraseMatcher: @unchecked Sendable {
    // @unchecked: every pointer addresses the immutable embedded tables.
    typealias Node = TableFormat.Node
    typealias Child = TableFormat.Child

    let name: String
    let maxKeyScalars: Int
    /// Output bytes per input byte, at most.
    let maxExpansion: Int
    private let stage1: UnsafePointer<UInt16>
    private let stage2: UnsafePointer<UInt32>
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
        stage2 = tables.pointer(at: field(.stage2Offset), as: UInt32.self)
        nodes = tables.pointer(at: field(.nodesOffset), as: Node.self)
        children = tables.pointer(at: field(.childrenOffset), as: Child.self)
        pool = tables.poolBase
        asciiStartsLow = UInt64(field(.asciiStartMask0)) | UInt64(field(.asciiStartMask1)) << 32
        asciiStartsHigh = UInt64(field(.asciiStartMask2)) | UInt64(field(.asciiStartMask3)) << 32
        leadBytes = tables.pointer(at: record + UInt32(Field.leadByteMask0.rawValue * 4), as: UInt32.self)
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
                if scalar != UTF8Scalar.invalid && firstNode(scalar) != 0 { return true }
            }
            p += 1
        }
        return false
    }

    /// The trie node of a key's first scalar, or 0.
    @inline(__always)
    func firstNode(_ scalar: UInt32) -> UInt32 {
        let block = UInt32(stage1[Int(truncatingIfNeeded: scalar >> 8)])
        return stage2[Int(truncatingIfNeeded: block << 8 | scalar & 0xFF)]
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

    /// OpenCC's match at `p`: the node holding the value and the match's end, or node 0.
    @inline(__always)
    func match(at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>, firstScalar: UInt32,
               firstLength: Int) -> (node: UInt32, end: UnsafePointer<UInt8>) {
        var nodeIndex = firstNode(firstScalar)
        guard nodeIndex != 0 else { return (0, p) }
        var node = nodes[Int(nodeIndex)]
        var cursor = p + firstLength
        var best: UInt32 = 0
        var bestEnd = p
        var bestPriority: UInt32 = .max
        while true {
            if node.valueInfo & Node.terminalBit != 0 {
                let priority = node.valueInfo >> 16 & 0xFF
                if priority <= bestPriority {
                    best = nodeIndex
                    bestEnd = cursor
                    bestPriority = priority
                }
            }
            guard node.childCount != 0, cursor < end else { break }
            let (scalar, length) = UTF8Scalar.decode(cursor, end: end)
            guard scalar != UTF8Scalar.invalid else { break }
            nodeIndex = child(of: node, scalar)
            guard nodeIndex != 0 else { break }
            node = nodes[Int(nodeIndex)]
            cursor += length
        }
        return (best, bestEnd)
    }

    /// The value stored at a terminal node.
    @inline(__always)
    func value(of nodeIndex: UInt32) -> (UnsafePointer<UInt8>, Int) {
        let node = nodes[Int(nodeIndex)]
        return (pool + Int(node.valueOffset), Int(node.valueInfo & 0xFFFF))
    }

    /// Converts `input` by forward maximum matching, appending to `output`.
    ///
    /// Bytes that start no key, including ill-formed UTF-8, are copied unchanged.
    /// Complexity: O(n · k log d) for n input bytes, k the longest key, d the widest node.
    func convert(_ input: UnsafeBufferPointer<UInt8>, into output: ByteBuffer) {
        guard var p = input.baseAddress, !input.isEmpty else { return }
        output.reserve(input.count * maxExpansion)
        let end = p + input.count
        var out = output.end
        while p < end {
            let lead = p[0]
            if lead < 0x80 && !isASCIIKeyStart(lead) {
                out[0] = lead
                out += 1
                p += 1
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar != UTF8Scalar.invalid {
                let (node, matchEnd) = match(at: p, end: end, firstScalar: scalar, firstLength: length)
                if node != 0 {
                    let (value, valueLength) = self.value(of: node)
                    out.update(from: value, count: valueLength)
                    out += valueLength
                    p = matchEnd
                    continue
                }
            }
            out.update(from: p, count: length)
            out += length
            p += length
        }
        output.count = out - output.base
    }

    /// The end of the segment that starts at `p` under OpenCC's maximum-match segmentation:
    /// a matched key is a segment of its own, and a run of unmatched characters is one segment.
    func segmentEnd(from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var p = start
        while p < end {
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar != UTF8Scalar.invalid && (scalar >= 0x80 || isASCIIKeyStart(UInt8(scalar))) {
                let (node, matchEnd) = match(at: p, end: end, firstScalar: scalar, firstLength: length)
                if node != 0 { return p == start ? matchEnd : p }
            }
            p += length
        }
        return end
    }
}
