/// Finds and repairs mojibake inside text, stretch by stretch, so that a garbled title in a
/// clean page is restored and the page around it is left alone.
///
/// Each ``MojibakeRecipe`` proposes a repair of a stretch; a repair is accepted only when the
/// result scores clearly better as Chinese than the stretch did (``TextScore``) and the stretch
/// is long enough to be sure:
///
/// | recipe | evidence | accepted when |
/// |---|---|---|
/// | UTF-8 as Windows-1252 | the bytes are valid UTF-8 | score +1.0, a non-ASCII result |
/// | UTF-8 as GBK | the bytes are valid UTF-8 | score +1.0, 2+ non-ASCII results, input half Han |
/// | GBK as Windows-1252 | the bytes are valid GBK | score +1.5, 2+ Han results |
/// | Big5 ⇄ GBK | the bytes are valid in both | score +1.5, 2+ Han results, input half Han |
///
/// ```swift
/// let repairer = MojibakeRepairer()
/// repairer.repair("标题：鍙戝睍规划")   // "标题：发展规划"
/// repairer.repair("naïve café")      // unchanged
/// ```
///
/// A repairer owns ICU converters and is not thread-safe; give each thread its own.
public final class MojibakeRepairer {
    private let table = CharacterProfileTable.embedded
    // nil when ICU is missing: only the UTF-8-as-Windows-1252 recipe, which needs no
    // converter, then runs.
    private let gbk = DoubleByteCodec.gbk()
    private let big5 = DoubleByteCodec.big5()
    /// Characters whose Big5 form ends in byte 0x5C (許, 功, 蓋 …), found by asking ICU once.
    private lazy var big5BackslashCharacters: Set<UInt32> = {
        var characters: Set<UInt32> = []
        guard let big5 else { return characters }
        for lead in UInt8(0x81)...0xFE {
            if let decoded = big5.decode([lead, 0x5C]), decoded.count == 1, decoded[0] >= 0x80 {
                characters.insert(decoded[0])
            }
        }
        return characters
    }()

    public init() {}

    /// `text` with every accepted repair applied.
    public func repair(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var last = 0
        let scalars = Array(text.unicodeScalars.map(\.value))
        for repair in findRepairs(in: scalars).repairs {
            output.append(contentsOf: scalars[last..<repair.range.lowerBound].map { Unicode.Scalar($0)! })
            output.append(contentsOf: repair.replacement.map { Unicode.Scalar($0)! })
            last = repair.range.upperBound
        }
        output.append(contentsOf: scalars[last...].map { Unicode.Scalar($0)! })
        return String(output)
    }

    /// A repair within a list of scalars.
    struct Repair {
        var range: Range<Int>
        var replacement: [UInt32]
        var recipe: MojibakeRecipe
        var scoreBefore: Double
        var scoreAfter: Double
    }

    /// The repairs of `scalars` in order, without overlaps, and the lossy tails left unrepaired.
    func findRepairs(in scalars: [UInt32]) -> (repairs: [Repair], lossyTails: [Range<Int>]) {
        var repairs: [Repair] = []
        var lossyTails: [Range<Int>] = []
        var start = 0
        // Stretches between ASCII characters: no recipe's garbled form spans one.
        while start < scalars.count {
            if scalars[start] < 0x80 {
                if scalars[start] == 0x5C, let repair = backslashRepair(scalars, at: start) { repairs.append(repair) }
                start += 1
                continue
            }
            var end = start
            while end < scalars.count && scalars[end] >= 0x80 { end += 1 }
            if isSuspicious(scalars[start..<end]) {
                repairStretch(scalars, start..<end, into: &repairs, lossyTails: &lossyTails)
            }
            start = end
        }
        repairs.sort { $0.range.lowerBound < $1.range.lowerBound }
        return (repairs, lossyTails)
    }

    /// Whether a stretch holds two characters that clean Chinese rarely has: the cheap test
    /// that lets clean text through without trying any recipe.
    func isSuspicious(_ stretch: ArraySlice<UInt32>) -> Bool {
        var count = 0
        for scalar in stretch where TextScore.points(scalar, table: table) < 0 {
            count += 1
            if count == 2 { return true }
        }
        return false
    }

    // MARK: - Stretches

    private func repairStretch(_ scalars: [UInt32], _ stretch: Range<Int>,
                               into repairs: inout [Repair], lossyTails: inout [Range<Int>]) {
        var free: [Range<Int>] = []
        // Latin-looking runs first: their recipes need valid UTF-8 or GBK from single bytes.
        var index = stretch.lowerBound
        var freeStart = index
        while index < stretch.upperBound {
            guard Self.windows1252Byte(scalars[index]) != nil else { index += 1; continue }
            var end = index
            while end < stretch.upperBound && Self.windows1252Byte(scalars[end]) != nil { end += 1 }
            let found = end - index >= 2 ? repairLatinRun(scalars, index..<end) : []
            for repair in found {
                if freeStart < repair.range.lowerBound { free.append(freeStart..<repair.range.lowerBound) }
                freeStart = repair.range.upperBound
            }
            repairs += found
            index = end
        }
        if freeStart < stretch.upperBound { free.append(freeStart..<stretch.upperBound) }
        for part in free {
            let found = repairUTF8AsGBK(scalars, part, lossyTails: &lossyTails)
            var rest = part.lowerBound
            for repair in found {
                if rest < repair.range.lowerBound { repairs += repairDoubleByteSwaps(scalars, rest..<repair.range.lowerBound) }
                rest = repair.range.upperBound
            }
            repairs += found
            if rest < part.upperBound { repairs += repairDoubleByteSwaps(scalars, rest..<part.upperBound) }
        }
    }

    /// Windows-1252 or Latin-1 characters that may be misread UTF-8 or GBK bytes.
    private func repairLatinRun(_ scalars: [UInt32], _ run: Range<Int>) -> [Repair] {
        let bytes = scalars[run].map { Self.windows1252Byte($0)! }
        var repairs: [Repair] = []
        for window in Self.utf8Windows(bytes, isBoundary: { _ in true }).windows {
            var decoded = window.decoded
            // Double and triple encoding: the result is itself misread UTF-8.
            for _ in 0..<2 {
                let again = decoded.compactMap(Self.windows1252Byte)
                guard again.count == decoded.count else { break }
                let windows = Self.utf8Windows(again, isBoundary: { _ in true }).windows
                guard windows.count == 1, windows[0].range == 0..<again.count else { break }
                decoded = windows[0].decoded
            }
            let range = run.lowerBound + window.range.lowerBound..<run.lowerBound + window.range.upperBound
            if let repair = accept(scalars, range, decoded, .utf8AsCP1252, margin: 1.0, minimumNonASCII: 1, minimumHan: 0) {
                repairs.append(repair)
            }
        }
        if repairs.isEmpty, let gbk, bytes.count % 2 == 0, let decoded = gbk.decode(bytes),
           let repair = accept(scalars, run, decoded, .gbkAsCP1252, margin: 1.5, minimumNonASCII: 2, minimumHan: 2) {
            repairs.append(repair)
        }
        return repairs
    }

    /// Han-looking text whose GBK bytes are valid UTF-8.
    private func repairUTF8AsGBK(_ scalars: [UInt32], _ part: Range<Int>, lossyTails: inout [Range<Int>]) -> [Repair] {
        guard let gbk, !part.isEmpty, TextScore(scalars[part].lazy.compactMap(Unicode.Scalar.init)).hanShare >= 0.5 else {
            return []
        }
        var repairs: [Repair] = []
        for piece in encodedPieces(scalars, part, codec: gbk, twoByteOnly: false) {
            let found = Self.utf8Windows(piece.bytes, isBoundary: { piece.characterStart[$0] != nil })
            for window in found.windows {
                let range = piece.characterStart[window.range.lowerBound]!..<piece.characterStart[window.range.upperBound]!
                if let repair = accept(scalars, range, window.decoded, .utf8AsGBK, margin: 1.0, minimumNonASCII: 2, minimumHan: 0,
                                       requireHanInput: true) {
                    repairs.append(repair)
                    if window.range.upperBound == found.incompleteTailStart, let tailStart = piece.characterStart[window.range.upperBound] {
                        lossyTails.append(tailStart..<min(piece.characters.upperBound + 1, scalars.count))
                    }
                }
            }
        }
        return repairs
    }

    /// Big5 read as GBK and GBK read as Big5: one character for one, so whole clauses are
    /// tried, split at CJK punctuation.
    private func repairDoubleByteSwaps(_ scalars: [UInt32], _ part: Range<Int>) -> [Repair] {
        guard let gbk, let big5 else { return [] }
        var repairs: [Repair] = []
        var start = part.lowerBound
        while start < part.upperBound {
            var end = start
            while end < part.upperBound && !Self.isClauseBreak(scalars[end]) { end += 1 }
            if end - start >= 2 && isSuspicious(scalars[start..<end]) {
                let candidates = [(gbk, big5, MojibakeRecipe.big5AsGBK), (big5, gbk, .gbkAsBig5)].compactMap { misread, meant, recipe in
                    swapRepair(scalars, start..<end, misread: misread, meant: meant, recipe: recipe)
                }
                if let best = candidates.max(by: { $0.scoreAfter < $1.scoreAfter }) { repairs.append(best) }
            }
            start = end + 1
        }
        return repairs
    }

    private func swapRepair(_ scalars: [UInt32], _ clause: Range<Int>, misread: DoubleByteCodec, meant: DoubleByteCodec,
                            recipe: MojibakeRecipe) -> Repair? {
        let pieces = encodedPieces(scalars, clause, codec: misread, twoByteOnly: true)
        // The whole clause must convert: a clean clause beside a garbled one is its own clause.
        guard pieces.count == 1, pieces[0].characters == clause, let result = meant.decode(pieces[0].bytes),
              result.count == clause.count
        else { return nil }
        return accept(scalars, clause, result, recipe, margin: 1.5, minimumNonASCII: 2, minimumHan: 2, requireHanInput: true)
    }

    /// `許\功` → `許功`: a backslash after a character whose Big5 form ends in 0x5C, before
    /// Han text or the end of the line, where no escape sequence can be meant.
    private func backslashRepair(_ scalars: [UInt32], at index: Int) -> Repair? {
        guard index > 0, big5BackslashCharacters.contains(scalars[index - 1]) else { return nil }
        let next = index + 1 < scalars.count ? scalars[index + 1] : 0x0A
        guard CharacterProfileTable.isHan(next) || next == 0x0A || next == 0x0D || (0x3000...0x303F).contains(next)
                || (0xFF01...0xFF5E).contains(next)
        else { return nil }
        return Repair(range: index..<index + 1, replacement: [], recipe: .big5Backslash, scoreBefore: 0, scoreAfter: 0)
    }

    // MARK: - Acceptance

    private func accept(_ scalars: [UInt32], _ range: Range<Int>, _ result: [UInt32], _ recipe: MojibakeRecipe,
                        margin: Double, minimumNonASCII: Int, minimumHan: Int, requireHanInput: Bool = false) -> Repair? {
        let before = TextScore(scalars[range].lazy.compactMap(Unicode.Scalar.init), table: table)
        let after = TextScore(result.lazy.compactMap(Unicode.Scalar.init), table: table)
        guard after.nonASCIICharacters >= minimumNonASCII, after.hanCharacters >= minimumHan,
              !requireHanInput || before.hanShare >= 0.5,
              after.value - before.value >= margin, after.characterMean >= 0.5
        else { return nil }
        return Repair(range: range, replacement: result, recipe: recipe, scoreBefore: before.value, scoreAfter: after.value)
    }

    // MARK: - Bytes

    /// A stretch of characters that all encode in a codec, with the bytes and the byte offset
    /// where each character starts.
    struct EncodedPiece {
        var characters: Range<Int>
        var bytes: [UInt8]
        /// Byte offset → index of the character starting there (and the end → the end).
        var characterStart: [Int: Int]
    }

    /// Splits `part` into pieces that encode in `codec` (two bytes a character with
    /// `twoByteOnly`); characters that do not encode separate the pieces.
    private func encodedPieces(_ scalars: [UInt32], _ part: Range<Int>, codec: DoubleByteCodec,
                               twoByteOnly: Bool) -> [EncodedPiece] {
        var pieces: [EncodedPiece] = []
        var current = EncodedPiece(characters: part.lowerBound..<part.lowerBound, bytes: [], characterStart: [0: part.lowerBound])
        for (index, bytes) in zip(part, codec.encode(scalars[part])) {
            if let bytes, !bytes.isEmpty, bytes.count <= 2, !twoByteOnly || bytes.count == 2 {
                current.bytes += bytes
                current.characters = current.characters.lowerBound..<index + 1
                current.characterStart[current.bytes.count] = index + 1
            } else {
                if !current.bytes.isEmpty { pieces.append(current) }
                current = EncodedPiece(characters: index + 1..<index + 1, bytes: [], characterStart: [0: index + 1])
            }
        }
        if !current.bytes.isEmpty { pieces.append(current) }
        return pieces
    }

    struct UTF8Window {
        var range: Range<Int>
        var decoded: [UInt32]
    }

    /// The longest stretches of `bytes` that start and end at character boundaries and are
    /// valid UTF-8 beginning with a multi-byte sequence; and where an incomplete sequence
    /// runs into the end of `bytes`, if one does.
    static func utf8Windows(_ bytes: [UInt8], isBoundary: (Int) -> Bool) -> (windows: [UTF8Window], incompleteTailStart: Int?) {
        var windows: [UTF8Window] = []
        var incompleteTailStart: Int?
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let end = base + buffer.count
            var start = 0
            while start < buffer.count {
                guard isBoundary(start), buffer[start] >= 0xC2 else { start += 1; continue }
                var position = start
                var decoded: [UInt32] = []
                var lastGood: (end: Int, count: Int)?
                while position < buffer.count {
                    let (scalar, length) = UTF8Scalar.decode(base + position, end: end)
                    if scalar == UTF8Scalar.invalid {
                        if UTF8Scalar.maximalSubpartLength(base + position, end: end) == buffer.count - position
                            && UTF8Scalar.sequenceLength(lead: buffer[position]) > buffer.count - position {
                            incompleteTailStart = lastGood?.end == position ? position : nil
                        }
                        break
                    }
                    decoded.append(scalar)
                    position += length
                    if isBoundary(position) { lastGood = (position, decoded.count) }
                }
                if let lastGood {
                    windows.append(UTF8Window(range: start..<lastGood.end, decoded: Array(decoded[..<lastGood.count])))
                    start = lastGood.end
                } else {
                    start += 1
                }
            }
        }
        return (windows, incompleteTailStart)
    }

    /// The byte a character stands for when Windows-1252 (or, for its five undefined bytes and
    /// the C1 controls, Latin-1) decoded it.
    static func windows1252Byte(_ scalar: UInt32) -> UInt8? {
        switch scalar {
        case 0x80...0xFF: return UInt8(scalar)
        case 0x20AC: return 0x80
        case 0x201A: return 0x82
        case 0x0192: return 0x83
        case 0x201E: return 0x84
        case 0x2026: return 0x85
        case 0x2020: return 0x86
        case 0x2021: return 0x87
        case 0x02C6: return 0x88
        case 0x2030: return 0x89
        case 0x0160: return 0x8A
        case 0x2039: return 0x8B
        case 0x0152: return 0x8C
        case 0x017D: return 0x8E
        case 0x2018: return 0x91
        case 0x2019: return 0x92
        case 0x201C: return 0x93
        case 0x201D: return 0x94
        case 0x2022: return 0x95
        case 0x2013: return 0x96
        case 0x2014: return 0x97
        case 0x02DC: return 0x98
        case 0x2122: return 0x99
        case 0x0161: return 0x9A
        case 0x203A: return 0x9B
        case 0x0153: return 0x9C
        case 0x017E: return 0x9E
        case 0x0178: return 0x9F
        default: return nil
        }
    }

    /// CJK punctuation and spaces that end a clause: garbled clauses are tried one by one.
    static func isClauseBreak(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x3000...0x3003, 0x3008...0x3011, 0xFF01, 0xFF08, 0xFF09, 0xFF0C, 0xFF1A, 0xFF1B, 0xFF1F,
             0x2018, 0x2019, 0x201C, 0x201D, 0x2026:
            return true
        default:
            return false
        }
    }
}
