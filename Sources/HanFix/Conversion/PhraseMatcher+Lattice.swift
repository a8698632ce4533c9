import HanFixTableFormat

/// HanFix's engine: where OpenCC's greedy match crosses a word, the most probable segmentation.
///
/// OpenCC takes the longest key at each position. That fails when the key crosses a word
/// boundary: in 被发明 the key 被发 (被髮, "with hair unbound") wins over the word 发明, and
/// 被髮明 comes out. HanFix keeps the greedy parse wherever nothing crosses it, which is
/// nearly everywhere, and decides the rest by the lexicon's word frequencies:
///
/// 1. When greedy matching finds a key of two or more characters, it checks whether a word
///    of the lexicon, or another key, starts inside that key and ends beyond it, or starts
///    before it (among the characters since the last key) and ends inside it.
/// 2. If one does, the *region* spanned by all such crossings (closed under further
///    crossings on the right) is segmented anew: the path through the lattice of single
///    characters, lexicon words and keys with the lowest total cost, where a cost is the
///    negative log frequency of the word (``Lexicon``); a key the lexicon does not know
///    costs as a word seen a hundred times (``unlistedKeyDiscount``), and every key gets
///    ``keyBonus`` off its cost.
/// 3. Each segment of that path is converted by greedy matching inside it, so a key is
///    still converted as OpenCC would, but only where the chosen segmentation has it.
///
/// Ties go to the longer first segment, which is greedy's preference. Regions are at most
/// ``maximumRegionScalars`` long; the lexicon's words are Han only, so a region never spans
/// punctuation, and the streams' safe cuts (scalars in no key and no word) never fall inside
/// one: the result does not depend on how the input is split.
extension PhraseMatcher {
    /// The longest region resolved at once, in scalars.
    static let maximumRegionScalars = 32
    /// A key's discount on its word cost: a phrase in OpenCC's dictionaries is evidence of a
    /// word, so the lattice overrides greedy matching only when the lexicon clearly disagrees
    /// (about seven times likelier).
    static let keyBonus: UInt32 = 16
    /// What a key the lexicon lacks saves on the unknown cost: it costs as a word seen about
    /// a hundred times (8 · ln 100 ≈ 37), since OpenCC's phrases are curated words, and the
    /// lexicon, from Simplified text, lacks regional vocabulary such as Taiwan's 非同步.
    static let unlistedKeyDiscount: UInt32 = 37
    /// Characters looked at before a key, for words that end inside it.
    static let lookBehindScalars = TableFormat.Lexicon.maximumWordScalars - 1
    /// The decoded text around a key that a region is resolved in: the look-behind, the
    /// longest region and a word reaching past it.
    static let windowScalars = lookBehindScalars + maximumRegionScalars + TableFormat.Lexicon.maximumWordScalars

    /// One segment of the best path: a span of the input converted by greedy matching.
    struct LatticeSegment {
        var start: UnsafePointer<UInt8>
        var end: UnsafePointer<UInt8>
    }

    /// A resolved region: where it starts (possibly before the key that triggered it) and
    /// its segments in order, the last ending where greedy matching resumes.
    ///
    /// The segments are kept as a bitmap of their ends, by byte offset from `start`, so that
    /// a path costs no allocation: about one region in 150 Han characters is resolved.
    struct LatticePath {
        let start: UnsafePointer<UInt8>
        /// Where the last segment ends.
        private(set) var end: UnsafePointer<UInt8>
        /// Bit `k` of word `k >> 6`: a segment ends `k + 1` bytes after `start`.
        private var segmentEnds = InlineArray<3, UInt64>(repeating: 0)
        /// The longest region a path holds, in bytes. A region lies inside the window of
        /// ``windowScalars`` scalars (a key may be longer than ``maximumRegionScalars``, but
        /// not than the window), four bytes at most each: 156 bytes (a test checks the sum).
        static var maximumBytes: Int { 3 * 64 }

        /// An empty path at `start`.
        init(start: UnsafePointer<UInt8>) {
            self.start = start
            end = start
        }

        /// Appends the segment from ``end`` to `segmentEnd`.
        mutating func appendSegment(endingAt segmentEnd: UnsafePointer<UInt8>) {
            let offset = segmentEnd - start - 1
            precondition(segmentEnd > end && offset < Self.maximumBytes, "a lattice path grew beyond its region")
            segmentEnds[offset >> 6] |= 1 << UInt64(offset & 63)
            end = segmentEnd
        }

        /// Calls `body` with each segment in order.
        func forEachSegment(_ body: (LatticeSegment) -> Void) {
            var segmentStart = start
            for word in 0..<3 {
                var ends = segmentEnds[word]
                while ends != 0 {
                    let segmentEnd = start + (word << 6 + ends.trailingZeroBitCount + 1)
                    body(LatticeSegment(start: segmentStart, end: segmentEnd))
                    segmentStart = segmentEnd
                    ends &= ends &- 1
                }
            }
        }
    }

    /// The decoded text around a key: scalars and where each starts; `starts[count]` is the
    /// end of the last.
    private struct Window {
        var scalars: UnsafeMutablePointer<UInt32>
        var starts: UnsafeMutablePointer<UnsafePointer<UInt8>>
        var count = 0
        let capacity: Int
        let limit: UnsafePointer<UInt8>

        /// Decodes forward until `needed` scalars are known; false when text runs out first.
        mutating func ensure(_ needed: Int) -> Bool {
            while count < needed {
                guard count < capacity else { return false }
                let p = starts[count]
                guard p < limit else { return false }
                let (scalar, length) = UTF8Scalar.decode(p, end: limit)
                guard scalar != UTF8Scalar.invalid else { return false }
                scalars[count] = scalar
                count += 1
                starts[count] = p + length
            }
            return true
        }

        /// The index of the scalar that starts at `p`, decoding up to it; nil when `p` is
        /// not the start of one within the window.
        mutating func index(of p: UnsafePointer<UInt8>) -> Int? {
            var index = 0
            while true {
                if starts[index] == p { return index }
                if starts[index] > p { return nil }
                index += 1
                if index > count && !ensure(index) { return nil }
            }
        }
    }

    /// OpenCC's match at `p`, decoding its first scalar; nil when no key matches there.
    func match(at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> Match? {
        let (scalar, length) = UTF8Scalar.decode(p, end: end)
        guard scalar != UTF8Scalar.invalid else { return nil }
        return match(at: p, end: end, first: scalar, firstLength: length)
    }

    /// Greedy matching over `[start, end)`, which must hold whole scalars: `body` gets each
    /// step's start, its match (nil for a character no key starts) and its end.
    func forEachGreedyStep(from start: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>,
                           _ body: (UnsafePointer<UInt8>, Match?, UnsafePointer<UInt8>) -> Void) {
        var p = start
        while p < end {
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            let match = scalar == UTF8Scalar.invalid ? nil : self.match(at: p, end: end, first: scalar, firstLength: length)
            let next = match?.end ?? p + (scalar == UTF8Scalar.invalid ? 1 : length)
            body(p, match, next)
            p = next
        }
    }

    /// When the greedy match `[keyStart, keyEnd)` of two or more scalars, starting with
    /// `first`, crosses a word, the best segmentation of the region around it; nil when
    /// greedy matching stands. Nothing before `floor` (the end of the last key, a barrier or
    /// the block's start) or at or after `limit` is looked at.
    @inline(__always)
    func resolveCrossing(_ lexicon: Lexicon, keyStart: UnsafePointer<UInt8>, first: UInt32, match key: Match,
                         floor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> LatticePath? {
        // A context rule was written for greedy matching, to decide a reading (存在著 → 存在着
        // before 名為): the lexicon's word frequencies know nothing of that.
        guard !key.isContextRule else { return nil }
        if key.isTransparent {
            guard key.end < limit, mayStartLongerKey(key.lastScalar, UTF8Scalar.decode(key.end, end: limit).scalar)
            else { return nil }
        } else {
            guard mayBeCrossed(keyStart: keyStart, first: first, match: key, floor: floor, limit: limit) else {
                // A superset test: debug builds (the tests) check each "no" against the lattice.
                assert(resolveOpaqueKey(lexicon, keyStart: keyStart, keyEnd: key.end, floor: floor, limit: limit) == nil,
                       "the crossing filter missed a crossing")
                return nil
            }
        }
        return resolveOpaqueKey(lexicon, keyStart: keyStart, keyEnd: key.end, floor: floor, limit: limit)
    }

    /// Whether a word or key may cross the opaque key `[keyStart, key.end)`, by the crossing
    /// filter: from inside it on into the scalar after it, or from before it (from the Han
    /// scalar before it, after `floor`) into it. Most of the regional configs' keys are
    /// whole words (文件, 設定), and this answers for them without the lexicon.
    @inline(never)
    private func mayBeCrossed(keyStart: UnsafePointer<UInt8>, first: UInt32, match key: Match,
                              floor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> Bool {
        guard let crossingFilter else { return true }
        @inline(__always) func contains(_ first: UInt32, _ second: UInt32, before: Bool) -> Bool {
            crossingFilter.hasBits(TableFormat.crossingBits(first, second, before: before, bits: crossingFilterBits))
        }
        if key.end < limit {
            let (next, _) = UTF8Scalar.decode(key.end, end: limit)
            if next != UTF8Scalar.invalid && contains(key.lastScalar, next, before: false) { return true }
        }
        guard let previous = Self.hanScalar(endingAt: keyStart, floor: floor) else { return false }
        return contains(previous.scalar, first, before: true)
    }

    /// The Han scalar (U+2E80 and above: the lexicon's words are Han only) that ends at `p`,
    /// and where it starts, looking no further back than `floor`; nil when there is none.
    @inline(__always)
    private static func hanScalar(endingAt p: UnsafePointer<UInt8>,
                                  floor: UnsafePointer<UInt8>) -> (scalar: UInt32, start: UnsafePointer<UInt8>)? {
        guard p > floor else { return nil }
        var start = p - 1
        while start > floor && start[0] & 0xC0 == 0x80 { start -= 1 }
        let (scalar, length) = UTF8Scalar.decode(start, end: p)
        guard scalar >= 0x2E80, scalar != UTF8Scalar.invalid, start + length == p else { return nil }
        return (scalar, start)
    }

    /// ``resolveCrossing(_:keyStart:first:match:floor:limit:)`` for a key the lattice may change.
    @inline(never)
    private func resolveOpaqueKey(_ lexicon: Lexicon, keyStart: UnsafePointer<UInt8>, keyEnd: UnsafePointer<UInt8>,
                                  floor: UnsafePointer<UInt8>, limit: UnsafePointer<UInt8>) -> LatticePath? {
        let capacity = Self.windowScalars
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { scalars in
            withUnsafeTemporaryAllocation(of: UnsafePointer<UInt8>.self, capacity: capacity + 1) { starts in
                // Up to three Han characters before the key, back to the floor.
                var regionStart = keyStart
                var behind = 0
                while behind < Self.lookBehindScalars, let previous = Self.hanScalar(endingAt: regionStart, floor: floor) {
                    regionStart = previous.start
                    behind += 1
                }
                starts.baseAddress![0] = regionStart
                var window = Window(scalars: scalars.baseAddress!, starts: starts.baseAddress!,
                                    capacity: capacity, limit: limit)
                let keyFirst = behind
                guard window.ensure(keyFirst + 2), let keyLast = window.index(of: keyEnd) else { return nil }
                return resolve(lexicon, window: &window, keyFirst: keyFirst, keyLast: keyLast)
            }
        }
    }

    private func resolve(_ lexicon: Lexicon, window: inout Window, keyFirst: Int, keyLast: Int) -> LatticePath? {
        var regionStart = keyFirst
        var regionEnd = keyLast
        let maximumEnd = keyFirst + Self.maximumRegionScalars
        // Right: keys and words that start inside the region and end beyond it, until none do.
        var inner = keyFirst + 1
        while inner < regionEnd && regionEnd < maximumEnd {
            guard window.ensure(inner + 2) else { break }
            let (first, second) = (window.scalars[inner], window.scalars[inner + 1])
            if mayStartLongerKey(first, second),
               let match = self.match(at: window.starts[inner], end: window.limit, first: first,
                                      firstLength: window.starts[inner + 1] - window.starts[inner]),
               match.end > window.starts[regionEnd],
               let end = window.index(of: match.end), end <= maximumEnd {
                regionEnd = end
            }
            var length = TableFormat.Lexicon.maximumWordScalars
            while length >= 2 && inner + length > regionEnd {
                if lexicon.mayStart(first, second, length: length) && inner + length <= maximumEnd
                    && window.ensure(inner + length) && lexicon.cost(window.scalars + inner, count: length) != nil {
                    regionEnd = inner + length
                    break
                }
                length -= 1
            }
            inner += 1
        }
        // Left: words that start before the key and end inside it.
        for end in (keyFirst + 1)..<keyLast where end >= 2 {
            var start = max(0, end - TableFormat.Lexicon.maximumWordScalars)
            while start < regionStart {
                if lexicon.mayEnd(window.scalars[end - 2], window.scalars[end - 1], length: end - start)
                    && lexicon.cost(window.scalars + start, count: end - start) != nil {
                    regionStart = start
                    break
                }
                start += 1
            }
        }
        guard regionStart != keyFirst || regionEnd != keyLast else { return nil }
        return bestPath(lexicon, window: &window, from: regionStart, to: regionEnd)
    }

    /// The cheapest path from scalar `from` to scalar `to` through single characters, the
    /// longest key at each position (within the region) and lexicon words.
    private func bestPath(_ lexicon: Lexicon, window: inout Window, from: Int, to: Int) -> LatticePath {
        let count = to - from
        return withUnsafeTemporaryAllocation(of: (cost: UInt32, step: Int).self, capacity: count + 1) { table in
            bestPath(lexicon, window: &window, from: from, count: count, table: table.baseAddress!)
        }
    }

    private func bestPath(_ lexicon: Lexicon, window: inout Window, from: Int, count: Int,
                          table: UnsafeMutablePointer<(cost: UInt32, step: Int)>) -> LatticePath {
        table[count] = (0, 0)
        let regionEnd = window.starts[from + count]
        for position in stride(from: count - 1, through: 0, by: -1) {
            let index = from + position
            // The longest key here, in scalars (the window is decoded up to the region's end).
            var keyLength = 1
            if let key = match(at: window.starts[index], end: regionEnd, first: window.scalars[index],
                               firstLength: window.starts[index + 1] - window.starts[index]) {
                while window.starts[index + keyLength] < key.end { keyLength += 1 }
            }
            var bestCost = UInt32.max
            var bestLength = 1
            // The prefix filter spares the probes (cache misses) where no word of a length starts here.
            // Longest first: a tie keeps the longer segment, as greedy matching would.
            for length in stride(from: min(max(keyLength, TableFormat.Lexicon.maximumWordScalars), count - position),
                                 through: 1, by: -1) {
                let wordCost = length <= TableFormat.Lexicon.maximumWordScalars
                    && (length == 1 || lexicon.mayStart(window.scalars[index], window.scalars[index + 1], length: length))
                    ? lexicon.cost(window.scalars + index, count: length) : nil
                guard wordCost != nil || length == keyLength || length == 1 else { continue }
                let isKey = length == keyLength && length > 1
                // The tail is added before the discount, so that a very cheap key cannot underflow.
                let cost = (wordCost ?? (isKey ? lexicon.unknownCost - Self.unlistedKeyDiscount : lexicon.unknownCost))
                    + table[position + length].cost - (isKey ? min(Self.keyBonus, wordCost ?? Self.keyBonus) : 0)
                if cost < bestCost {
                    bestCost = cost
                    bestLength = length
                }
            }
            table[position] = (bestCost, bestLength)
        }
        var path = LatticePath(start: window.starts[from])
        var position = 0
        while position < count {
            position += table[position].step
            path.appendSegment(endingAt: window.starts[from + position])
        }
        return path
    }
}

extension PhraseMatcher {
    /// Writes the conversion of a resolved region at `out` and returns the new end. The
    /// characters between the region's start and `keyStart` were already written, one step
    /// each, so they are taken back first (with any barriers they recorded).
    /// `out` must have room for the region at ``maxExpansion`` plus three bytes of slack.
    func emit(_ path: LatticePath, rewindingFrom keyStart: UnsafePointer<UInt8>, out: UnsafeMutablePointer<UInt8>,
              outBase: UnsafeMutablePointer<UInt8>, inputStart: UnsafePointer<UInt8>, barriers: inout Barriers,
              recorder: AmbiguityRecorder?) -> UnsafeMutablePointer<UInt8> {
        var out = out
        forEachGreedyStep(from: path.start, to: keyStart) { step, match, next in
            out -= match.map { writtenLength(of: $0, source: step) } ?? next - step
        }
        let regionOffset = path.start - inputStart
        recorder?.events.removeAll { $0.offset >= regionOffset }
        let recordingBound = barriers.recordingBound
        if recordingBound > 0 { barriers.discardRecorded(fromInput: path.start - inputStart, fromOutput: out - outBase) }
        path.forEachSegment { segment in
            forEachGreedyStep(from: segment.start, to: segment.end) { step, match, next in
                guard let match else {
                    out.copyBytes(from: step, count: next - step)
                    out += next - step
                    return
                }
                var written = match.valueLength
                let single = singleScalar(step, next)
                if let single, conservative || recorder != nil, isOneToMany(single) {
                    written = writeOneToMany(match, source: step, inputStart: inputStart, out: out, recorder: recorder)
                } else {
                    if let recorder, single == nil { recordPhrase(match, from: step, inputStart: inputStart, recorder: recorder) }
                    match.write(to: out)
                }
                if match.priority < recordingBound {
                    barriers.record(inputStart: step - inputStart, inputEnd: next - inputStart,
                                    outputStart: out - outBase, outputEnd: out - outBase + written)
                }
                out += written
            }
        }
        return out
    }
}
