import HanFixTableFormat

/// Finds pinyin and zhuyin notes after Han characters and checks them against the readings
/// table. Knows nothing of modes: ``AnnotationRepairer`` decides.
struct AnnotationScanner: Sendable {
    let readings: ReadingsTable

    /// The longest note considered, in bytes between the parentheses.
    static let maximumNoteBytes = 64
    /// The most characters one note may read.
    static let maximumSyllables = 8

    /// A note in parentheses after at least one Han character.
    struct Candidate {
        /// Offsets of the note, parentheses included.
        var note: Range<Int>
        /// Offsets of the Han characters the note reads (or, when it reads none, of the one
        /// just before the note).
        var characters: Range<Int>
        /// The characters a valid note reads; empty otherwise.
        var annotatedScalars: [UInt32]
        /// Whether every syllable is a reading of its character.
        var isValidReading: Bool
        var reason: String
    }

    static func isHan(_ scalar: UInt32) -> Bool {
        (0x3400...0x4DBF).contains(scalar) || (0x4E00...0x9FFF).contains(scalar)
            || (0xF900...0xFAFF).contains(scalar) || (0x2_0000...0x3_134F).contains(scalar)
    }

    /// Whether `p` starts "(" or "（".
    @inline(__always)
    static func opensNote(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> Int {
        if p[0] == 0x28 { return 1 }
        if p[0] == 0xEF && end - p >= 3 && p[1] == 0xBC && p[2] == 0x88 { return 3 }
        return 0
    }

    /// The first offset in `from..<limit` where "(" or "（" opens, or `limit`. Compares
    /// sixteen positions at a time with "(" and with the three bytes of "（" (EF BC 88), so
    /// that only a block holding an opening is looked at byte by byte.
    static func nextOpening(in base: UnsafePointer<UInt8>, from start: Int, limit: Int) -> Int {
        var index = start
        let parenthesis = SIMD16<UInt8>(repeating: 0x28)
        let fullwidth = (SIMD16<UInt8>(repeating: 0xEF), SIMD16<UInt8>(repeating: 0xBC), SIMD16<UInt8>(repeating: 0x88))
        // The three loads reach two bytes past the sixteen positions.
        while index &+ 18 <= limit {
            let raw = UnsafeRawPointer(base + index)
            let first = raw.loadUnaligned(as: SIMD16<UInt8>.self)
            let second = raw.loadUnaligned(fromByteOffset: 1, as: SIMD16<UInt8>.self)
            let third = raw.loadUnaligned(fromByteOffset: 2, as: SIMD16<UInt8>.self)
            if any((first .== parenthesis) .| ((first .== fullwidth.0) .& (second .== fullwidth.1) .& (third .== fullwidth.2))) {
                break
            }
            index &+= 16
        }
        while index < limit {
            if base[index] == 0x28 { return index }
            if base[index] == 0xEF && index + 2 < limit && base[index + 1] == 0xBC && base[index + 2] == 0x88 {
                return index
            }
            index += 1
        }
        return limit
    }

    /// Examines the note opening at `open` (an offset in `text` of "(" or "（"); nil when it is
    /// not a note after Han characters, or is not closed within ``maximumNoteBytes``.
    /// `context` holds the bytes that came just before `text` in the stream: the characters a
    /// note at the start of `text` reads may lie there, and their offsets are then negative.
    func candidate(in text: UnsafeBufferPointer<UInt8>, openingAt open: Int, openLength: Int,
                   context: UnsafeBufferPointer<UInt8>) -> Candidate? {
        let base = text.baseAddress!
        let end = base + text.count
        // First the cheap tests, without allocating: a Han character just before, a closing
        // parenthesis near enough, and a first letter that can begin pinyin or zhuyin.
        let lookBehind = Self.bytes(before: open, in: text, context: context, count: 4 * Self.maximumSyllables)
        guard let lastStart = lookBehind.withBytes({ behind in
            Self.isHanBefore(behind.count, in: behind.baseAddress!, end: behind.baseAddress! + behind.count)
        }) else { return nil }
        var p = base + open + openLength
        var firstScalar: UInt32?
        var closeEnd: Int?
        while p < end && p - (base + open) <= Self.maximumNoteBytes + openLength {
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar == 0x29 || scalar == 0xFF09 { closeEnd = p + length - base; break }
            guard scalar != UTF8Scalar.invalid, scalar != 0x0A, scalar != 0x28, scalar != 0xFF08 else { return nil }
            if firstScalar == nil && scalar != 0x20 && scalar != 0x3000 { firstScalar = scalar }
            p += length
        }
        guard let closeEnd else { return nil }
        let note = open..<closeEnd
        let lastCharacter = (open - lookBehind.count + lastStart)..<open
        guard let firstScalar, let first = Unicode.Scalar(firstScalar),
              Pinyin.letter(first) != nil || Zhuyin.isZhuyin(first) else {
            return Candidate(note: note, characters: lastCharacter, annotatedScalars: [],
                             isValidReading: false, reason: "the note is not pinyin or zhuyin")
        }
        // The scalars between the parentheses.
        let contentBytes = UnsafeBufferPointer(rebasing: text[(open + openLength)..<closeEnd])
        let content = Array(String(decoding: contentBytes, as: UTF8.self).unicodeScalars.dropLast())
        // The Han characters before the note, nearest last.
        var han: [(scalar: UInt32, start: Int)] = []
        lookBehind.withBytes { behind in
            let behindBase = behind.baseAddress!
            var q = behind.count
            while han.count < Self.maximumSyllables,
                  let start = Self.isHanBefore(q, in: behindBase, end: behindBase + q) {
                han.insert((UTF8Scalar.decode(behindBase + start, end: behindBase + q).scalar,
                            open - behind.count + start), at: 0)
                q = start
            }
        }
        guard let last = han.last else { return nil }
        guard let syllables = Self.syllables(of: content) else {
            return Candidate(note: note, characters: last.start..<open, annotatedScalars: [],
                             isValidReading: false, reason: "the note is not pinyin or zhuyin")
        }
        let letterCount: Int
        switch syllables {
        case .pinyin(let letters, _, _): letterCount = letters.count
        case .zhuyin(let list): letterCount = list.count * 2
        }
        // A syllable has one to six letters: try only counts of characters that could fit.
        let initials = han.map { readings.initialLetters(of: $0.scalar) }
        for count in 1...han.count where count <= letterCount && letterCount <= 6 * count {
            let characters = han.suffix(count)
            let scalars = characters.map(\.scalar)
            if matches(syllables, scalars, initials: Array(initials.suffix(count))) {
                return Candidate(note: note, characters: characters.first!.start..<open, annotatedScalars: scalars,
                                 isValidReading: true, reason: "every syllable is a reading of its character")
            }
        }
        return Candidate(note: note, characters: last.start..<open, annotatedScalars: [],
                         isValidReading: false,
                         reason: "not a reading of the characters before it (Unihan readings)")
    }

    /// Up to `count` bytes that precede an offset: a slice of the text, or, near its start,
    /// a copy that continues into the context.
    enum LookBehind {
        case inText(UnsafeBufferPointer<UInt8>)
        case joined([UInt8])

        var count: Int {
            switch self {
            case .inText(let bytes): return bytes.count
            case .joined(let bytes): return bytes.count
            }
        }

        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            switch self {
            case .inText(let bytes): return body(bytes)
            case .joined(let bytes): return bytes.withUnsafeBufferPointer(body)
            }
        }
    }

    static func bytes(before offset: Int, in text: UnsafeBufferPointer<UInt8>, context: UnsafeBufferPointer<UInt8>,
                      count: Int) -> LookBehind {
        if offset >= count || context.isEmpty {
            return .inText(UnsafeBufferPointer(rebasing: text[max(0, offset - count)..<offset]))
        }
        return .joined(Array(context.suffix(count - offset)) + Array(text[..<offset]))
    }

    /// The offset of the Han character just before `offset`, if there is one.
    private static func isHanBefore(_ offset: Int, in base: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> Int? {
        guard offset > 0 else { return nil }
        var start = offset - 1
        while start > 0 && base[start] & 0xC0 == 0x80 && offset - start < 4 { start -= 1 }
        let (scalar, length) = UTF8Scalar.decode(base + start, end: end)
        return start + length == offset && isHan(scalar) ? start : nil
    }

    // MARK: - Syllables

    /// A note spelled out: letters with the tone each carries, and where syllables must end.
    enum Syllables {
        /// Pinyin letters; `boundaryAfter[i]`: a syllable ends after letter i (a space, an
        /// apostrophe or a tone digit); `tone[i]`: the tone marked on letter i or given by a
        /// digit after it.
        case pinyin(letters: [UInt8], tone: [UInt8], boundaryAfter: [Bool])
        /// Zhuyin syllables already spelled in pinyin letters, with tones (1 when unmarked).
        case zhuyin([(letters: [UInt8], tone: UInt8)])
    }

    static func syllables(of content: [Unicode.Scalar]) -> Syllables? {
        let trimmed = content.drop { $0 == " " || $0 == "\u{3000}" }.reversed()
            .drop { $0 == " " || $0 == "\u{3000}" }.reversed()
        guard !trimmed.isEmpty else { return nil }
        if trimmed.contains(where: Zhuyin.isZhuyin) { return zhuyinSyllables(Array(trimmed)) }
        var letters: [UInt8] = [], tone: [UInt8] = [], boundaryAfter: [Bool] = []
        var previous: Unicode.Scalar?
        for scalar in trimmed {
            defer { previous = scalar }
            if let letter = Pinyin.letter(scalar) {
                letters.append(letter.ascii)
                tone.append(letter.tone)
                boundaryAfter.append(false)
            } else if let mark = Pinyin.combiningTone(scalar), !letters.isEmpty {
                tone[tone.count - 1] = mark
            } else if Pinyin.isCombiningDiaeresis(scalar) || scalar == ":", letters.last == UInt8(ascii: "u") {
                letters[letters.count - 1] = UInt8(ascii: "v")  // ü, or u: as some inputs write it
            } else if (0x31...0x35).contains(scalar.value), !letters.isEmpty, !boundaryAfter.last! {
                tone[tone.count - 1] = UInt8(scalar.value - 0x30)  // a tone digit 1–5
                boundaryAfter[boundaryAfter.count - 1] = true
            } else if (scalar == " " || scalar == "'" || scalar == "’"), let last = previous, last != " " {
                if !boundaryAfter.isEmpty { boundaryAfter[boundaryAfter.count - 1] = true }
            } else {
                return nil
            }
        }
        return letters.isEmpty ? nil : .pinyin(letters: letters, tone: tone, boundaryAfter: boundaryAfter)
    }

    private static func zhuyinSyllables(_ content: [Unicode.Scalar]) -> Syllables? {
        var syllables: [([UInt8], UInt8)] = []
        var current = ""
        var tone: UInt8 = 0
        func flush() -> Bool {
            guard !current.isEmpty else { return tone == 0 }
            guard let letters = Zhuyin.pinyin(of: current) else { return false }
            syllables.append((Array(letters.utf8), tone == 0 ? 1 : tone))
            current = ""
            tone = 0
            return true
        }
        for scalar in content {
            if let mark = Zhuyin.toneMarks[scalar.value] {
                if mark == 5 && current.isEmpty { tone = 5; continue }  // ˙ may come first
                tone = mark
                guard flush() else { return nil }
            } else if scalar == " " || scalar == "\u{3000}" {
                guard flush() else { return nil }
            } else if Zhuyin.isZhuyin(scalar) {
                current.unicodeScalars.append(scalar)
            } else {
                return nil
            }
        }
        guard flush(), !syllables.isEmpty else { return nil }
        return .zhuyin(syllables)
    }

    /// Whether the syllables split into exactly one reading per character, in order.
    /// `initials[i]` has a bit for each letter a reading of `characters[i]` begins with.
    private func matches(_ syllables: Syllables, _ characters: [UInt32], initials: [UInt32]) -> Bool {
        switch syllables {
        case .zhuyin(let list):
            guard list.count == characters.count else { return false }
            return zip(list, characters).allSatisfy { syllable, character in
                readings.hasReading(character, letters: syllable.letters[...], tone: syllable.tone)
            }
        case .pinyin(let letters, let tone, let boundaryAfter):
            // Depth-first over syllable lengths: letters[start...] must spell characters[index...].
            func split(_ start: Int, _ index: Int) -> Bool {
                if index == characters.count { return start == letters.count }
                guard start < letters.count, initials[index] >> UInt32(letters[start] &- 0x61) & 1 != 0 else {
                    return false
                }
                var syllableTone: UInt8 = 0
                for end in start..<min(letters.count, start + 6) {
                    if tone[end] != 0 {
                        guard syllableTone == 0 || syllableTone == tone[end] else { return false }
                        syllableTone = tone[end]
                    }
                    if readings.hasReading(characters[index], letters: letters[start...end], tone: syllableTone)
                        && split(end + 1, index + 1) {
                        return true
                    }
                    if boundaryAfter[end] { return false }
                }
                return false
            }
            return split(0, 0)
        }
    }
}
