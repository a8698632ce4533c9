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
/// | UTF-8 as GBK | the bytes are valid UTF-8 | score +1.0, 2+ garbled characters, 1+ non-ASCII result, input half Han |
/// | GBK as Windows-1252 | the bytes are valid GBK | score +1.5, 2+ Han results (one common character or mark between ASCII on a line with Han text) |
/// | Big5 ⇄ GBK | the bytes are valid in both | score +2.0 (+1.0 when the swap brings a clause into its line's script), 4+ Han results, all Han or punctuation, no Simplified-only character from Big5, mean character points 1.5+, input half Han or mixing two foreign scripts |
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

    /// ``scriptCounts(_:)`` of the line ``findRepairs(in:)`` is working on.
    private var lineScriptCounts = (simplified: 0, traditional: 0)

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

    /// The repairs of `scalars` (a line, or a piece of a very long one) in order, without
    /// overlaps, and the lossy tails left unrepaired.
    ///
    /// Stretches between ASCII characters are tried first, one by one: no UTF-8 or
    /// Windows-1252 recipe's garbled form spans an ASCII character. What is left is tried with
    /// the Big5 ⇄ GBK recipes clause by clause, a clause being the text between CJK
    /// punctuation marks, which ASCII words and numbers may split into several stretches.
    func findRepairs(in scalars: [UInt32]) -> (repairs: [Repair], lossyTails: [Range<Int>]) {
        lineScriptCounts = scriptCounts(scalars)
        var repairs: [Repair] = []
        var lossyTails: [Range<Int>] = []
        var free: [Range<Int>] = []
        var lineHasHan = false
        var weak: [Repair] = []
        var orphanTails: [Range<Int>] = []
        var start = 0
        while start < scalars.count {
            if scalars[start] < 0x80 {
                if scalars[start] == 0x5C, let repair = backslashRepair(scalars, at: start) { repairs.append(repair) }
                start += 1
                continue
            }
            var end = start
            while end < scalars.count && scalars[end] >= 0x80 { end += 1 }
            let repairsBefore = repairs.count
            if isSuspicious(scalars[start..<end]) {
                free += repairStretch(scalars, start..<end, into: &repairs, weak: &weak, lossyTails: &lossyTails,
                                      orphanTails: &orphanTails)
            } else {
                free.append(start..<end)
            }
            // Han text on the line, as it reads once repaired.
            lineHasHan = lineHasHan || scalars[start..<end].contains(where: CharacterProfileTable.isHan)
                || repairs[repairsBefore...].contains { $0.replacement.contains(where: CharacterProfileTable.isHan) }
            start = end
        }
        // Short GBK-as-Latin-1 runs ("´Ó" for 从, "¡£" for 。) count on a line with Han text.
        if lineHasHan {
            repairs += weak
            free = free.flatMap { part in Self.gaps(in: part, around: weak.filter { part.overlaps($0.range) }) }
        }
        repairs += repairDoubleByteSwaps(scalars, free)
        if repairs.contains(where: { $0.recipe == .utf8AsGBK }) { lossyTails += orphanTails }
        repairs.sort { $0.range.lowerBound < $1.range.lowerBound }
        return (repairs, lossyTails)
    }

    /// Whether a stretch is suspicious enough (``suspicionToTry``) to try the recipes on: the
    /// cheap test that lets clean text through.
    func isSuspicious(_ stretch: ArraySlice<UInt32>) -> Bool {
        var total = 0
        for scalar in stretch {
            total += Self.suspicion(scalar, table: table)
            if total >= Self.suspicionToTry { return true }
        }
        return false
    }

    /// A line or stretch is tried when its characters' suspicion adds up to this: any
    /// character that scores below zero. Mojibake can be made mostly of ordinary characters
    /// (GBK read as Big5 gives common Traditional ones), so one is enough to look closer.
    static let suspicionToTry = 1

    /// How unlike clean Chinese a character is: minus its ``TextScore`` points when they are
    /// negative (3 for a very rare Han character or a foreign letter, 1 for a second-level
    /// one), otherwise 0.
    @inline(__always)
    static func suspicion(_ scalar: UInt32, table: CharacterProfileTable) -> Int {
        max(0, -TextScore.points(scalar, table: table))
    }

    /// Whether `scalar` has any suspicion.
    @inline(__always)
    static func isSuspicious(_ scalar: UInt32, table: CharacterProfileTable) -> Bool {
        suspicion(scalar, table: table) > 0
    }

    /// Whether a backslash after `scalar` may be Big5 damage (``MojibakeRecipe/big5Backslash``).
    func mayPrecedeBackslashDamage(_ scalar: UInt32) -> Bool {
        scalar >= 0x80 && big5BackslashCharacters.contains(scalar)
    }

    // MARK: - Stretches

    /// Tries the single-byte and UTF-8 recipes on a stretch; returns the parts left for the
    /// Big5 ⇄ GBK recipes.
    private func repairStretch(_ scalars: [UInt32], _ stretch: Range<Int>, into repairs: inout [Repair],
                               weak: inout [Repair], lossyTails: inout [Range<Int>],
                               orphanTails: inout [Range<Int>]) -> [Range<Int>] {
        var found: [Repair] = []
        // Latin-looking runs first: their recipes need valid UTF-8 or GBK from single bytes.
        var index = stretch.lowerBound
        while index < stretch.upperBound {
            guard Self.windows1252Byte(scalars[index]) != nil else { index += 1; continue }
            var end = index
            while end < stretch.upperBound && Self.windows1252Byte(scalars[end]) != nil { end += 1 }
            if end - index >= 2 {
                let latin = repairLatinRun(scalars, index..<end)
                found += latin.repairs
                // Weak candidates stand between ASCII characters ("360 Ìì", "%s¡£"): text that
                // GBK misread as Latin-1 has no Han character right beside it.
                let beside = [index > 0 ? scalars[index - 1] : 0, end < scalars.count ? scalars[end] : 0]
                if let candidate = latin.weak, beside.allSatisfy({ $0 < 0x80 }) { weak.append(candidate) }
            }
            index = end
        }
        for part in Self.gaps(in: stretch, around: found) {
            found += repairUTF8AsGBK(scalars, part, lossyTails: &lossyTails, orphanTails: &orphanTails)
        }
        repairs += found
        return Self.gaps(in: stretch, around: found)
    }

    /// The parts of `range` that no repair covers.
    private static func gaps(in range: Range<Int>, around repairs: [Repair]) -> [Range<Int>] {
        var gaps: [Range<Int>] = []
        var start = range.lowerBound
        for repair in repairs.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            if start < repair.range.lowerBound { gaps.append(start..<repair.range.lowerBound) }
            start = max(start, repair.range.upperBound)
        }
        if start < range.upperBound { gaps.append(start..<range.upperBound) }
        return gaps
    }

    /// Windows-1252 or Latin-1 characters that may be misread UTF-8 or GBK bytes.
    /// Returns the repairs, and a weak GBK candidate to accept only on a line with Han text.
    private func repairLatinRun(_ scalars: [UInt32], _ run: Range<Int>) -> (repairs: [Repair], weak: Repair?) {
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
            // Valid UTF-8 is the evidence: a lone "。" counts.
            if let repair = accept(scalars, range, decoded, .utf8AsCP1252, margin: 1.0, minimumNonASCII: 1, minimumHan: 0,
                                   minimumCharacterMean: 0) {
                repairs.append(repair)
            }
        }
        // GBK read as Latin-1 decodes the whole run; it wins over UTF-8 windows that leave
        // part of the run garbled when it scores better.
        let coveredByUTF8 = repairs.reduce(0) { $0 + $1.range.count }
        guard coveredByUTF8 < run.count, let gbk, bytes.count % 2 == 0, let decoded = gbk.decode(bytes) else {
            return (repairs, nil)
        }
        if let repair = accept(scalars, run, decoded, .gbkAsCP1252, margin: 1.5, minimumNonASCII: 2, minimumHan: 2) {
            if repairs.isEmpty || repair.scoreAfter > patchedScore(scalars, run, repairs) { return ([repair], nil) }
        } else if repairs.isEmpty,
                  decoded.allSatisfy({ $0 >= 0x80 && (table.tier($0) >= 4 || TextScore.isNeutral($0)) }) {
            // One or two common characters or punctuation marks ("Ìì" → 天, "¡£" → 。): too
            // short to be sure alone, and Latin text such as "ações" has pairs like "çõ" too.
            let weak = Repair(range: run, replacement: decoded, recipe: .gbkAsCP1252,
                              scoreBefore: TextScore(scalars[run].lazy.compactMap(Unicode.Scalar.init)).value,
                              scoreAfter: TextScore(decoded.lazy.compactMap(Unicode.Scalar.init)).value)
            return (repairs, weak)
        }
        return (repairs, nil)
    }

    /// The score of `range` with `repairs` applied.
    private func patchedScore(_ scalars: [UInt32], _ range: Range<Int>, _ repairs: [Repair]) -> Double {
        var patched: [UInt32] = []
        var index = range.lowerBound
        for repair in repairs.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            patched += scalars[index..<repair.range.lowerBound] + repair.replacement
            index = repair.range.upperBound
        }
        patched += scalars[index..<range.upperBound]
        return TextScore(patched.lazy.compactMap(Unicode.Scalar.init), table: table).value
    }

    /// Han-looking text whose GBK bytes are valid UTF-8.
    private func repairUTF8AsGBK(_ scalars: [UInt32], _ part: Range<Int>, lossyTails: inout [Range<Int>],
                                 orphanTails: inout [Range<Int>]) -> [Repair] {
        guard let gbk, !part.isEmpty, TextScore(scalars[part].lazy.compactMap(Unicode.Scalar.init)).hanShare >= 0.5 else {
            return []
        }
        var repairs: [Repair] = []
        for piece in encodedPieces(scalars, part, codec: gbk, twoByteOnly: false) {
            let found = Self.utf8Windows(piece.bytes, isBoundary: { piece.characterAt[$0] >= 0 })
            for window in found.windows {
                let range = piece.character(at: window.range.lowerBound)!..<piece.character(at: window.range.upperBound)!
                // An ASCII character in the result is the next byte eaten by the last
                // character's odd tail ("銆孯ow" for "「Row"): the text after the window
                // must go on in ASCII, as the rest of that word.
                let eatsASCII = window.decoded.last.map { $0 < 0x80 } ?? false
                let followedByASCII = range.upperBound >= scalars.count || scalars[range.upperBound] < 0x80
                if range.count >= 2, !eatsASCII || followedByASCII,
                   let repair = accept(scalars, range, window.decoded, .utf8AsGBK, margin: 1.0, minimumNonASCII: 1, minimumHan: 0,
                                       requireHanInput: true, minimumCharacterMean: 0) {
                    repairs.append(repair)
                    if window.range.upperBound == found.incompleteTailStart, let tailStart = piece.character(at: window.range.upperBound) {
                        // The tail, with the U+FFFD or "?" a decoder left after it.
                        let after = piece.characters.upperBound
                        let marker = after < scalars.count && (scalars[after] == 0xFFFD || scalars[after] == 0x3F)
                        lossyTails.append(tailStart..<after + (marker ? 1 : 0))
                    }
                }
            }
            // A lone character that is the start of a cut UTF-8 sequence, before U+FFFD or
            // "?": a lossy tail too, when the line has repairs of this recipe (see findRepairs).
            let next = piece.characters.upperBound < scalars.count ? scalars[piece.characters.upperBound] : 0
            if found.windows.isEmpty, found.incompleteTailStart == 0, piece.characters.count == 1, next == 0xFFFD || next == 0x3F {
                orphanTails.append(piece.characters.lowerBound..<piece.characters.upperBound + 1)
            }
        }
        return repairs
    }

    /// Big5 read as GBK and GBK read as Big5: one character for one. A clause's parts are
    /// tried together, then its suspicious parts together, then each alone.
    private func repairDoubleByteSwaps(_ scalars: [UInt32], _ free: [Range<Int>]) -> [Repair] {
        guard gbk != nil, big5 != nil else { return [] }
        // Split the free parts at clause breaks; a clause also ends where non-ASCII text that
        // is not free (repaired, or clean) comes between two parts.
        var clauses: [[Range<Int>]] = []
        var clause: [Range<Int>] = []
        var previousEnd = 0
        for part in free {
            if scalars[previousEnd..<part.lowerBound].contains(where: { $0 >= 0x80 }) {
                clauses.append(clause)
                clause = []
            }
            var start = part.lowerBound
            for index in part where Self.isClauseBreak(scalars[index]) {
                if start < index { clause.append(start..<index) }
                clauses.append(clause)
                clause = []
                start = index + 1
            }
            if start < part.upperBound { clause.append(start..<part.upperBound) }
            previousEnd = part.upperBound
        }
        clauses.append(clause)
        var repairs: [Repair] = []
        for clause in clauses where !clause.isEmpty {
            let suspicious = clause.filter {
                isSuspicious(scalars[$0]) || contradictsLineScript(scalars, garbled: Array(scalars[$0]))
            }
            guard !suspicious.isEmpty else { continue }
            // The whole clause first (a garbled line); then only its suspicious parts,
            // together and alone, so that a clean word beside a garbled one stays.
            if let joint = bestSwap(scalars, clause) {
                repairs += joint
                continue
            }
            if suspicious.count > 1 && suspicious.count < clause.count, let joint = bestSwap(scalars, suspicious) {
                repairs += joint
                continue
            }
            for part in suspicious where suspicious.count > 1 || clause.count > 1 {
                repairs += bestSwap(scalars, [part]) ?? []
            }
        }
        return repairs
    }

    /// The better of the two swaps for the parts of a clause, each part repaired, or nil.
    /// Parts that read clearly worse swapped (by more than 1) than as they were, such as a
    /// clean word in a garbled clause, are left out of the result.
    private func bestSwap(_ scalars: [UInt32], _ parts: [Range<Int>]) -> [Repair]? {
        let garbled = parts.flatMap { scalars[$0] }
        // One suspicious character, or characters of the other script than the line's, is
        // enough to look; the swap's own tests decide. (Mojibake of a clause can be made
        // almost only of common characters: 賤鎢蛌遙賦彆徹湮 for 解码转换结果过大.)
        guard let gbk, let big5, isSuspicious(ArraySlice(garbled)) || contradictsLineScript(scalars, garbled: garbled)
        else { return nil }
        let candidates = [(gbk, big5, MojibakeRecipe.big5AsGBK), (big5, gbk, .gbkAsBig5)].compactMap { misread, meant, recipe in
            swapRepair(scalars, parts, misread: misread, meant: meant, recipe: recipe)
        }
        return candidates.max(by: { $0.score < $1.score })?.repairs.filter { repair in
            TextScore(repair.replacement.lazy.compactMap(Unicode.Scalar.init), table: table).value + 1
                >= TextScore(scalars[repair.range].lazy.compactMap(Unicode.Scalar.init), table: table).value
        }
    }

    private func swapRepair(_ scalars: [UInt32], _ parts: [Range<Int>], misread: DoubleByteCodec, meant: DoubleByteCodec,
                            recipe: MojibakeRecipe) -> (repairs: [Repair], score: Double)? {
        var results: [[UInt32]] = []
        for part in parts {
            // Every part must convert whole: a clean part beside a garbled one is tried alone.
            let pieces = encodedPieces(scalars, part, codec: misread, twoByteOnly: true)
            guard pieces.count == 1, pieces[0].characters == part, let result = meant.decode(pieces[0].bytes),
                  result.count == part.count,
                  // Correctly decoded Big5 or GBK Chinese holds Han characters and punctuation
                  // only, in the encoding's own script: GBK gives no Traditional-only form
                  // here (the text was Simplified) and Big5 no Simplified-only one.
                  result.allSatisfy({ CharacterProfileTable.isHan($0) || TextScore.isNeutral($0) }),
                  recipe == .gbkAsBig5 || !result.contains(where: table.isSimplifiedOnly)
            else { return nil }
            results.append(result)
        }
        let garbled = parts.flatMap { scalars[$0] }
        let before = TextScore(garbled.lazy.compactMap(Unicode.Scalar.init), table: table)
        let after = TextScore(results.joined().lazy.compactMap(Unicode.Scalar.init), table: table)
        // Clean Greek, Cyrillic or kana text also converts; garbled text mixes scripts.
        guard before.hanShare >= 0.5 || Self.scriptClasses(garbled) >= 2 else { return nil }
        // A Simplified-looking clause in a Traditional line (or the reverse) that the swap
        // brings into the line's script needs less of a score gain.
        let margin = fitsLineScript(scalars, garbled: garbled, repaired: Array(results.joined())) ? 1.0 : 2.0
        guard after.hanCharacters >= 4, after.value - before.value >= margin, after.characterMean >= 1.5 else { return nil }
        let repairs = zip(parts, results).map { part, result in
            Repair(range: part, replacement: result, recipe: recipe, scoreBefore: before.value, scoreAfter: after.value)
        }
        return (repairs, after.value)
    }

    /// How many of the scripts that misdecoded Chinese turns into (kana, bopomofo, Greek,
    /// Cyrillic, Latin letters, symbols) `scalars` holds.
    static func scriptClasses(_ scalars: [UInt32]) -> Int {
        var classes: Set<Int> = []
        for scalar in scalars where !CharacterProfileTable.isHan(scalar) && !TextScore.isNeutral(scalar) {
            switch scalar {
            case 0x3040...0x30FF: classes.insert(0)
            case 0x3100...0x312F, 0x31A0...0x31BF: classes.insert(1)
            case 0x0370...0x03FF: classes.insert(2)
            case 0x0400...0x04FF: classes.insert(3)
            case 0x0080...0x024F: classes.insert(4)
            default: classes.insert(5)
            }
        }
        return classes.count
    }

    /// Whether the line outside the garbled clause is in one script (two or more one-script
    /// characters of it and none of the other), the garbled clause has characters of the other
    /// script, and the repaired clause has none.
    private func fitsLineScript(_ line: [UInt32], garbled: [UInt32], repaired: [UInt32]) -> Bool {
        guard let script = lineScript(line, without: garbled), contradictsLineScript(line, garbled: garbled) else { return false }
        let fixed = scriptCounts(repaired)
        return script == .traditional ? fixed.simplified == 0 : fixed.traditional == 0
    }

    /// Whether the garbled text has characters of the other script than the rest of the line.
    private func contradictsLineScript(_ line: [UInt32], garbled: [UInt32]) -> Bool {
        guard let script = lineScript(line, without: garbled) else { return false }
        let clause = scriptCounts(garbled)
        return script == .traditional ? clause.simplified > 0 : clause.traditional > 0
    }

    /// The script of `line` outside `garbled`: two or more one-script characters of it and
    /// none of the other.
    private func lineScript(_ line: [UInt32], without garbled: [UInt32]) -> TextReport.Script? {
        let whole = lineScriptCounts, clause = scriptCounts(garbled)
        let rest = (simplified: whole.simplified - clause.simplified, traditional: whole.traditional - clause.traditional)
        if rest.traditional >= 2 && rest.simplified == 0 { return .traditional }
        if rest.simplified >= 2 && rest.traditional == 0 { return .simplified }
        return nil
    }

    private func scriptCounts(_ scalars: [UInt32]) -> (simplified: Int, traditional: Int) {
        scalars.reduce((0, 0)) { ($0.0 + (table.isSimplifiedOnly($1) ? 1 : 0), $0.1 + (table.isTraditionalOnly($1) ? 1 : 0)) }
    }

    /// `許\功` → `許功`: a backslash after a character whose Big5 form ends in 0x5C, unless
    /// a letter, digit, backslash or quote follows it.
    private func backslashRepair(_ scalars: [UInt32], at index: Int) -> Repair? {
        guard index > 0, big5BackslashCharacters.contains(scalars[index - 1]) else { return nil }
        // Not before a letter, digit, backslash or quote, where an escape or a path may be meant.
        let next = index + 1 < scalars.count ? scalars[index + 1] : 0x0A
        guard next >= 0x80 || !(Unicode.Scalar(next).map { $0.properties.isAlphabetic || ("0"..."9").contains($0) } ?? false)
                && next != 0x5C && next != 0x22 && next != 0x27
        else { return nil }
        return Repair(range: index..<index + 1, replacement: [], recipe: .big5Backslash, scoreBefore: 0, scoreAfter: 0)
    }

    // MARK: - Acceptance

    private func accept(_ scalars: [UInt32], _ range: Range<Int>, _ result: [UInt32], _ recipe: MojibakeRecipe,
                        margin: Double, minimumNonASCII: Int, minimumHan: Int, requireHanInput: Bool = false,
                        minimumCharacterMean: Double = 0.5) -> Repair? {
        let before = TextScore(scalars[range].lazy.compactMap(Unicode.Scalar.init), table: table)
        let after = TextScore(result.lazy.compactMap(Unicode.Scalar.init), table: table)
        guard after.nonASCIICharacters >= minimumNonASCII, after.hanCharacters >= minimumHan,
              !requireHanInput || before.hanShare >= 0.5,
              after.value - before.value >= margin, after.characterMean >= minimumCharacterMean
        else { return nil }
        return Repair(range: range, replacement: result, recipe: recipe, scoreBefore: before.value, scoreAfter: after.value)
    }

    // MARK: - Bytes

    /// A stretch of characters that all encode in a codec, with the bytes and the byte offset
    /// where each character starts.
    struct EncodedPiece {
        var characters: Range<Int>
        var bytes: [UInt8] = []
        /// For each byte offset (and the end), the index of the character starting there, or
        /// -1 inside a character.
        var characterAt: [Int] = []

        init(startingAt index: Int) {
            characters = index..<index
            characterAt = [index]
        }

        /// The index of the character starting at byte `offset`, if one does.
        func character(at offset: Int) -> Int? {
            characterAt[offset] >= 0 ? characterAt[offset] : nil
        }
    }

    /// Splits `part` into pieces that encode in `codec` (two bytes a character with
    /// `twoByteOnly`); characters that do not encode separate the pieces.
    private func encodedPieces(_ scalars: [UInt32], _ part: Range<Int>, codec: DoubleByteCodec,
                               twoByteOnly: Bool) -> [EncodedPiece] {
        var pieces: [EncodedPiece] = []
        var current = EncodedPiece(startingAt: part.lowerBound)
        for index in part {
            let code = codec.encode(scalars[index])
            let length = DoubleByteCodec.length(of: code)
            if length > 0, !twoByteOnly || length == 2 {
                if length == 2 {
                    current.bytes.append(UInt8(code >> 8 & 0xFF))
                    current.characterAt.append(-1)
                }
                current.bytes.append(UInt8(code & 0xFF))
                current.characterAt.append(index + 1)
                current.characters = current.characters.lowerBound..<index + 1
            } else {
                if !current.bytes.isEmpty { pieces.append(current) }
                current = EncodedPiece(startingAt: index + 1)
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
                            if lastGood?.end == position || position == start { incompleteTailStart = position }
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
