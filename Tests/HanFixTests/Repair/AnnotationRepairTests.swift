@testable import HanFix
import HanFixTableFormat
import Testing

@Suite("Pinyin-annotation repair")
struct AnnotationRepairTests {
    let repairer = AnnotationRepairer(mode: .auto)

    @Test("The scraped sample loses every note and nothing else")
    func sample() {
        let repaired = repairer.repair(Fixtures.text("annotated-web-page.txt"))
        #expect(repaired == Fixtures.text("annotated-web-page.repaired.txt"))
        #expect(!repaired.contains("(qū)"))
    }

    @Test("Repair then t2s gives clean Simplified")
    func sampleToSimplified() throws {
        var stream = try TextPipeline(conversion: .t2s, annotations: .auto).makeStream()
        let output = try stream.run(Array(Fixtures.text("annotated-web-page.txt").utf8), chunkSizes: [4096])
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains("扎实推进社区治理"))
        #expect(text.contains("推进协同发展"))
        #expect(!text.contains("(q"))
    }

    @Test("Notation variants", arguments: [
        ("社區(qū)治理", "社區治理"),          // tone mark
        ("社區(qu1)治理", "社區治理"),         // tone number
        ("社區(qu)治理", "社區治理"),          // no tone
        ("社區（qū）治理", "社區治理"),       // fullwidth parentheses
        ("社區( qū )治理", "社區治理"),       // inner spaces
        ("社區(shèqū)治理", "社區治理"),       // two syllables after a word
        ("社區(shè qū)治理", "社區治理"),      // separated by a space
        ("社區(she4qu1)治理", "社區治理"),     // tone numbers
        ("社區(ㄑㄩ)治理", "社區治理"),        // zhuyin
        ("社區(ㄕㄜˋ ㄑㄩ)治理", "社區治理"),  // zhuyin, two syllables with a tone mark
        ("綠(lǜ)色", "綠色"),                 // ü with tone mark
        ("綠(lv4)色", "綠色"),                // ü written v
        ("綠(lu:4)色", "綠色"),               // ü written u:
        ("數(shù)據", "數據"),                  // a polyphone, read right
        ("發(fà)型", "發型"),                  // fà is 发's reading, which 發 inherits
    ])
    func variants(_ input: String, _ expected: String) {
        #expect(AnnotationRepairer(mode: .strip).repair(input) == expected)
        #expect(repairer.repair(input) == expected)
    }

    @Test("Real parentheticals stay byte for byte", arguments: [
        "推進社區(來源:中國社會報2019.1.4)", "人工智能(AI)", "时间(2019)", "正文(注)", "注音(ㄅ)",
        "變數(_U)", "中國(China)", "發展(fa)", "區(qǔ)", "社區(shè)", "（一）總則", "社区(zhǔ)", "漢字()",
        "函數f(x)的值", "(qū)開頭沒有漢字",
    ])
    func parentheticalsKept(_ text: String) {
        #expect(AnnotationRepairer(mode: .strip).repair(text) == text)
        #expect(repairer.repair(text) == text)
    }

    @Test("Clean text with ordinary parentheses is byte-identical")
    func cleanSamples() {
        for text in Fixtures.sampleTexts + ["他說（笑）：好的。", "見第(3)條及附件(甲)。", "API (application programming interface)"] {
            #expect(repairer.repair(text) == text)
        }
    }

    @Test("Auto keeps textbook notes on shared characters; strip removes them")
    func textbookNotes() {
        let text = "他在银行(háng)工作，两人参差(cī)不齐。"
        #expect(repairer.repair(text) == text)
        #expect(AnnotationRepairer(mode: .strip).repair(text) == "他在银行工作，两人参差不齐。")
        #expect(AnnotationRepairer(mode: .keep).repair("社區(qū)") == "社區(qū)")
    }

    @Test("After script-specific notes, auto strips notes on shared characters too")
    func profile() {
        let text = "社區(qū)發(fā)展，银行(háng)"
        #expect(repairer.repair(text) == "社區發展，银行")
    }

    @Test("Every decision comes with its reason")
    func decisions() {
        let decisions = repairer.decisions(in: "社區(qū)在银行(háng)旁(AI)")
        #expect(decisions.map(\.verdict) == [.stripped, .kept, .kept])
        #expect(decisions[0].characters == "區" && decisions[0].note == "(qū)")
        #expect(decisions[0].noteRange == 6..<11)  // 社區 is six bytes, "(qū)" five
        #expect(decisions[0].reason.contains("traditional-only"))
        #expect(decisions[1].reason.contains("textbook"))
        #expect(decisions[2].reason.contains("not pinyin"))
    }

    @Test("Output is the same however the input is chunked")
    func chunking() throws {
        let input = Array(Fixtures.text("annotated-web-page.txt").utf8)
        let expected = Array(Fixtures.text("annotated-web-page.repaired.txt").utf8)
        var generator = SeededGenerator(seed: 42)
        let chunkings = ChunkingTests.chunkings + (0..<10).map { _ in
            (0..<8).map { _ in Int.random(in: 1...40, using: &generator) }
        }
        for sizes in chunkings {
            var stream = try TextPipeline(annotations: .auto).makeStream()
            #expect(try stream.run(input, chunkSizes: sizes) == expected, "chunks \(sizes)")
        }
    }

    @Test("Decisions and offsets are the same however the input is chunked")
    func chunkedDecisions() throws {
        let input = Array(Fixtures.text("annotated-web-page.txt").utf8)
        let whole = repairer.decisions(in: Fixtures.text("annotated-web-page.txt"))
            .filter { $0.verdict == .stripped }.map(RepairEvent.init)
        #expect(whole.count > 40)
        for size in [1, 3, 7, 4096] {
            var reported: [RepairEvent] = []
            var stream = try TextPipeline(annotations: .auto, mojibake: false, normalization: nil)
                .makeStream { reported.append($0) }
            _ = try stream.run(input, chunkSizes: [size])
            #expect(reported.count == whole.count, "chunks of \(size)")
            #expect(reported.elementsEqual(whole), "chunks of \(size)")
        }
    }
}

/// Clean Traditional text, annotated by this test with readings of its script-specific
/// characters in every supported notation, must come back byte for byte.
@Suite("Generated annotations")
struct GeneratedAnnotationTests {
    enum Notation: String, CaseIterable, CustomTestStringConvertible {
        case toneMarks, toneNumbers, noTone, fullwidth, innerSpaces, zhuyin
        var testDescription: String { rawValue }
    }

    static let clean = Fixtures.text("sample-zh-hant.txt") + Fixtures.text("annotated-web-page.repaired.txt")

    @Test("Annotated clean text is restored", arguments: Notation.allCases)
    func restored(_ notation: Notation) {
        let readings = ReadingsTable.embedded
        var annotated = ""
        var count = 0
        for character in Self.clean {
            annotated.append(character)
            guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                  AnnotationScanner.isHan(scalar.value), readings.script(of: scalar.value) != .shared,
                  let reading = readings.readings(of: scalar.value).first,
                  let note = Self.note(for: reading, notation)
            else { continue }
            annotated += note
            count += 1
        }
        #expect(count > 100)
        #expect(AnnotationRepairer(mode: .auto).repair(annotated) == Self.clean)
    }

    /// Writes a reading ("qu1") in `notation`, or nil when it cannot be written so.
    static func note(for reading: Substring, _ notation: Notation) -> String? {
        let letters = String(reading.dropLast())
        let tone = Int(String(reading.last!))!
        switch notation {
        case .toneMarks: return "(" + marked(letters, tone: tone) + ")"
        case .toneNumbers: return "(\(letters)\(tone))"
        case .noTone: return "(\(letters.replacingOccurrences(of: "v", with: "u:")))"
        case .fullwidth: return "（" + marked(letters, tone: tone) + "）"
        case .innerSpaces: return "( " + marked(letters, tone: tone) + " )"
        case .zhuyin:
            guard let bopomofo = zhuyinSpelling[letters] else { return nil }
            let marks = [1: "", 2: "ˊ", 3: "ˇ", 4: "ˋ", 5: "˙"]
            return "(" + bopomofo + marks[tone]! + ")"
        }
    }

    /// Puts the tone mark where pinyin does: on a or e, on the o of ou, else on the last vowel.
    static func marked(_ letters: String, tone: Int) -> String {
        guard (1...4).contains(tone) else { return letters.replacingOccurrences(of: "v", with: "ü") }
        let table: [Character: [Character]] = [
            "a": ["ā", "á", "ǎ", "à"], "e": ["ē", "é", "ě", "è"], "i": ["ī", "í", "ǐ", "ì"],
            "o": ["ō", "ó", "ǒ", "ò"], "u": ["ū", "ú", "ǔ", "ù"], "v": ["ǖ", "ǘ", "ǚ", "ǜ"],
        ]
        var characters = Array(letters)
        let target = characters.firstIndex(of: "a") ?? characters.firstIndex(of: "e")
            ?? (letters.contains("ou") ? characters.firstIndex(of: "o") : nil)
            ?? characters.lastIndex { "iouv".contains($0) }
        if let target, let marks = table[characters[target]] { characters[target] = marks[tone - 1] }
        return String(characters).replacingOccurrences(of: "v", with: "ü")
    }

    /// Every zhuyin syllable, keyed by its pinyin letters (built from HanFix's own table).
    static let zhuyinSpelling: [String: String] = {
        let initials = [""] + "ㄅㄆㄇㄈㄉㄊㄋㄌㄍㄎㄏㄐㄑㄒㄓㄔㄕㄖㄗㄘㄙ".map(String.init)
        let finals = ["", "ㄚ", "ㄛ", "ㄜ", "ㄝ", "ㄞ", "ㄟ", "ㄠ", "ㄡ", "ㄢ", "ㄣ", "ㄤ", "ㄥ", "ㄦ", "ㄧ", "ㄧㄚ", "ㄧㄛ",
                      "ㄧㄝ", "ㄧㄠ", "ㄧㄡ", "ㄧㄢ", "ㄧㄣ", "ㄧㄤ", "ㄧㄥ", "ㄨ", "ㄨㄚ", "ㄨㄛ", "ㄨㄞ", "ㄨㄟ", "ㄨㄢ",
                      "ㄨㄣ", "ㄨㄤ", "ㄨㄥ", "ㄩ", "ㄩㄝ", "ㄩㄢ", "ㄩㄣ", "ㄩㄥ"]
        var spelling: [String: String] = [:]
        for initial in initials {
            for final in finals {
                if let letters = Zhuyin.pinyin(of: initial + final), spelling[letters] == nil {
                    spelling[letters] = initial + final
                }
            }
        }
        return spelling
    }()
}

@Suite("Repair with several threads")
struct ParallelRepairTests {
    @Test("Large chunks give the same output and decisions on one thread or several")
    func sameAsSequential() throws {
        var input: [UInt8] = []
        let page = Array(Fixtures.text("annotated-web-page.txt").utf8)
        while input.count < 600_000 { input += page + Array("（註）銀行(háng)\n".utf8) }
        func run(_ concurrency: Int, chunk: Int) throws -> ([UInt8], [RepairEvent]) {
            var decisions: [RepairEvent] = []
            var stream = try TextPipeline(conversion: .t2s, annotations: .auto, concurrency: concurrency)
                .makeStream { decisions.append($0) }
            return (try stream.run(input, chunkSizes: [chunk]), decisions)
        }
        let (sequential, sequentialDecisions) = try run(1, chunk: 65536)
        for (threads, chunk) in [(2, 262_144), (3, 600_000), (2, 150_001)] {
            let (output, decisions) = try run(threads, chunk: chunk)
            #expect(output == sequential, "\(threads) threads, chunks of \(chunk)")
            #expect(decisions.count == sequentialDecisions.count)
            #expect(decisions.elementsEqual(sequentialDecisions))
        }
    }
}

@Suite("Pinyin spelling")
struct PinyinSpellingTests {
    @Test("Every tone-marked letter is read with its base and tone")
    func toneMarkedLetters() {
        let expected: [(String, Character, [UInt8])] = [
            ("āáǎà", "a", [1, 2, 3, 4]), ("ēéěè", "e", [1, 2, 3, 4]), ("īíǐì", "i", [1, 2, 3, 4]),
            ("ōóǒò", "o", [1, 2, 3, 4]), ("ūúǔù", "u", [1, 2, 3, 4]), ("ǖǘǚǜ", "v", [1, 2, 3, 4]),
            ("ńňǹ", "n", [2, 3, 4]), ("ḿ", "m", [2]), ("üê", "v", [0]),
        ]
        for (letters, base, tones) in expected where base != "v" || tones.count == 4 {
            for (scalar, tone) in zip(letters.unicodeScalars, tones) {
                #expect(Pinyin.letter(scalar) == Pinyin.Letter(ascii: UInt8(ascii: base.unicodeScalars.first!), tone: tone),
                        "\(scalar)")
            }
        }
        #expect(Pinyin.letter("ü") == Pinyin.Letter(ascii: UInt8(ascii: "v"), tone: 0))
        #expect(Pinyin.letter("ê") == Pinyin.Letter(ascii: UInt8(ascii: "e"), tone: 0))
        #expect(Pinyin.letter("A") == nil && Pinyin.letter("ß") == nil)
        #expect(Pinyin.normalizedSyllable("lǜ") == "lv4" && Pinyin.normalizedSyllable("ǹg") == "ng4")
    }
}

@Suite("Repair across chunk boundaries")
struct RepairBoundaryTests {
    @Test("A fullwidth note is stripped wherever a chunk boundary falls, even inside a bracket")
    func fullwidthSplitAnywhere() throws {
        let input = Array("推進社區（qū）治理，推進協(xié)同\n".utf8)
        let expected = Array("推進社區治理，推進協同\n".utf8)
        for split in 1..<input.count {
            var stream = try TextPipeline(annotations: .auto).makeStream()
            #expect(try stream.run(input, chunkSizes: [split, input.count]) == expected, "split at \(split)")
        }
    }

    @Test("An unclosed parenthesis does not hold back the rest of its line past the newline")
    func unclosedDoesNotSpanLines() throws {
        var stream = try TextPipeline(annotations: .auto).makeStream()
        var output: [UInt8] = []
        try stream.process(Array("abc (def\n".utf8)) { output.append(contentsOf: $0) }
        #expect(output == Array("abc (def\n".utf8))
    }
}
