import Foundation
import HanFix
import Testing

/// Text already in a config's target script is not converted again (`ScriptGate` in the
/// library): a line without characters of the source script, or a space-separated item of
/// one, with two or more characters of the target script; the evidence is OpenCC's own
/// character tables.
@Suite("Text already in the target script")
struct ScriptGateTests {
    @Test("a Traditional line keeps Taiwan's own words under s2twp; a Simplified one is converted", arguments: [
        ("完整文件請見附錄", "完整文件請見附錄"),    // 文件 'document' is Taiwan's word
        ("完整文件请见附录", "完整檔案請見附錄"),    // 文件 'file' is the mainland's
        ("資料放在數據庫裡", "資料放在資料庫裡"),    // mainland words in Traditional characters still convert
        ("爲什麼這樣設定", "為什麼這樣設定"),        // and Taiwan's variants apply
    ])
    func traditionalLineUnderS2TWP(_ input: String, _ expected: String) {
        #expect(Converter(.s2twp).convert(input) == expected)
    }

    @Test("a Simplified line is left alone by the Traditional-to-Simplified configs", arguments: [
        ConversionConfiguration.tw2sp, .tw2s, .t2s, .hk2s, .hk2sp,
    ])
    func simplifiedLineUnderT2S(_ configuration: ConversionConfiguration) {
        let line = "在崩溃时进行核心转储，集中大家的智慧"
        #expect(Converter(configuration).convert(line) == line)
        if configuration == .tw2sp { #expect(Converter(.tw2sp, engine: .opencc).convert(line) != line) }
    }

    @Test("one line is judged apart from the next")
    func linesAreJudgedApart() {
        let text = "完整文件請見附錄\n完整文件请见附录\n"
        #expect(Converter(.s2twp).convert(text) == "完整文件請見附錄\n完整檔案請見附錄\n")
    }

    @Test("items of a word list are judged apart, and an item without evidence is converted")
    func itemsAreJudgedApart() {
        #expect(Converter(.s2t).convert("几率 機率 機會率 概率") == "幾率 機率 機會率 概率")
        #expect(Converter(.s2twp).convert("完整文件請見 文件") == "完整文件請見 檔案")
    }

    @Test("one Simplified character marks a Simplified line; one Traditional character is not enough")
    func evidenceThresholds() {
        #expect(Converter(.t2s).convert("躺在地上。打坏的武器") == "躺在地上。打坏的武器")  // OpenCC: 打坯
        #expect(Converter(.s2twp).convert("完整文件要追蹤") == "完整檔案要追蹤")
        #expect(Converter(.s2twp).convert("完整文件請追蹤") == "完整文件請追蹤")
    }

    @Test("Taiwan's standard forms are no evidence of Simplified, though OpenCC's Traditional spells them otherwise")
    func regionalFormsAreNoEvidence() {
        // 群 is Taiwan's form (OpenCC's s2t writes 羣): the line is still Taiwan text.
        #expect(Converter(.s2twp).convert("社群網站的完整文件請見") == "社群網站的完整文件請見")
    }

    @Test("characters both scripts write are no evidence; a line with a source character is converted whole")
    func sharedCharactersAreNoEvidence() {
        // 里 and 征 are written in Traditional text too (公里, 征服): they do not reopen a Traditional line.
        #expect(Converter(.s2t).convert("埃里克寫過，征夷大將軍") == "埃里克寫過，征夷大將軍")
        // Beside Simplified words, 數据庫 is converted with them.
        #expect(Converter(.s2twp).convert("数据库 數据庫") == "資料庫 資料庫")
    }

    @Test("a line with characters of both scripts is converted as usual")
    func mixedLineIsConverted() {
        #expect(Converter(.s2t).convert("這個软件") == Converter(.s2t, engine: .opencc).convert("這個软件"))
    }

    @Test("--engine opencc converts text already in the target script, as OpenCC does")
    func openCCEngineConvertsEverything() {
        #expect(Converter(.s2twp, engine: .opencc).convert("完整文件請見附錄") == "完整檔案請見附錄")
    }

    @Test("streams cut only at line ends, so the result does not depend on chunk boundaries",
          arguments: [ConversionConfiguration.s2twp, .tw2sp])
    func chunkIndependent(_ configuration: ConversionConfiguration) throws {
        let text = Array("這個程式很好用 数据库 數据庫\n在崩溃时进行核心转储，集中大家的智慧\n完整文件請見附錄".utf8)
        let whole = Converter(configuration).convert(text)
        for sizes in [[1], [2, 3], [5, 1, 7]] {
            var stream = Converter(configuration).makeStream()
            #expect(try stream.run(text, chunkSizes: sizes) == whole, "chunks \(sizes)")
        }
    }

    @Test("a line too long to wait for is converted as usual, however it is chunked or split across threads")
    func longLineIsConvertedAsUsual() throws {
        let short = "完整文件請見附錄。"
        // Longer than the longest line a stream waits for (64 KiB, `ScriptGate.longestWholeLine`).
        let long = String(repeating: short, count: 64 * 1024 / short.utf8.count + 1)
        let text = Array((short + "\n" + long + "\n" + short).utf8)
        let expected = Array((short + "\n" + long.replacingOccurrences(of: "文件", with: "檔案") + "\n" + short).utf8)
        #expect(Converter(.s2twp).convert(text) == expected)
        #expect(Converter(.s2twp).convert(text, concurrency: 4) == expected)
        for sizes in [[1000], [4096, 7], [70_000]] {
            var stream = Converter(.s2twp).makeStream()
            #expect(try stream.run(text, chunkSizes: sizes) == expected, "chunks \(sizes)")
        }
    }

    @Test("ambiguities after a kept line are reported at their offsets in the whole input")
    func ambiguityOffsetsAfterKeptLine() throws {
        var pipeline = TextPipeline(conversion: .s2t, annotations: nil, mojibake: false, normalization: nil)
        pipeline.conversionOptions = ConversionOptions()
        var found: [Ambiguity] = []
        var stream = try pipeline.makeStream(ambiguities: { found.append($0) })
        let output = try stream.run(Array("完整文件請見附錄\n头发".utf8), chunkSizes: [1 << 20])
        #expect(String(decoding: output, as: UTF8.self) == "完整文件請見附錄\n頭髮")
        #expect(found.map(\.offset) == [28])
    }

    @Test("ill-formed UTF-8 in a line of the target script is still reported, at its offset")
    func invalidUTF8InKeptLine() throws {
        var stream = Converter(.s2t).makeStream(invalidUTF8: .error)
        #expect(throws: HanFixError.invalidUTF8(offset: 24)) {
            try stream.run(Array("完整文件請見附錄".utf8) + [0xFF, 0x0A], chunkSizes: [5])
        }
    }
}
