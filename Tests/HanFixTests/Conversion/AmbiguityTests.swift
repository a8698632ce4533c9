import HanFix
import Testing

/// `--ambiguities` and `--conservative`: one-to-many characters, reported and kept.
@Suite("Ambiguities")
struct AmbiguityTests {
    func run(_ text: String, _ configuration: ConversionConfiguration, conservative: Bool = false,
             chunkSizes: [Int] = [1 << 20]) throws -> (String, [Ambiguity]) {
        var pipeline = TextPipeline(conversion: configuration, annotations: nil, mojibake: false, normalization: nil)
        pipeline.conversionOptions = ConversionOptions(conservative: conservative)
        var found: [Ambiguity] = []
        var stream = try pipeline.makeStream(ambiguities: { found.append($0) })
        let output = try stream.run(Array(text.utf8), chunkSizes: chunkSizes)
        return (String(decoding: output, as: UTF8.self), found)
    }

    @Test("a phrase decides, and the report names it")
    func phraseDecides() throws {
        let (output, found) = try run("干净的头发", .s2t)
        #expect(output == "乾淨的頭髮")
        #expect(found == [
            Ambiguity(offset: 0, source: "干", candidates: ["幹", "乾", "干", "榦"], choice: "乾", rule: "phrase",
                      phrase: "干净 → 乾淨"),
            Ambiguity(offset: 12, source: "发", candidates: ["發", "髮"], choice: "髮", rule: "phrase",
                      phrase: "头发 → 頭髮"),
        ])
    }

    @Test("offsets count the text the conversion read, before it unified a compatibility ideograph")
    func offsetsAfterCompatibilityIdeograph() throws {
        // U+2F800 (four bytes) becomes 丽 (three) inside the conversion; 发 starts at byte 4.
        let (output, found) = try run("\u{2F800}发 干", .s2t)
        #expect(output == "麗發 幹")
        #expect(found.map(\.offset) == [4, 8])
        #expect(found.map(\.length) == [3, 3])
    }

    @Test("with protected spans, the converted stretches report, at offsets in the whole text")
    func protectedSpans() throws {
        var pipeline = TextPipeline(conversion: .s2t, annotations: nil, mojibake: false, normalization: nil)
        pipeline.format = .markdown
        pipeline.userDictionaries = [try UserDictionary(tsv: "头发\t頭髮\n", name: "user.tsv")]
        var found: [Ambiguity] = []
        var stream = try pipeline.makeStream(ambiguities: { found.append($0) })
        // `发` is code, kept; 头发 is the user's phrase, not the tables' (no report); 干 and 发 of
        // 干发, which no phrase decides, are reported at bytes 13 and 16.
        let text = "`发` 头发 干发\n"
        let output = try stream.run(Array(text.utf8), chunkSizes: [3])
        #expect(String(decoding: output, as: UTF8.self) == "`发` 頭髮 幹發\n")
        #expect(found.map(\.source) == ["干", "发"])
        #expect(found.map(\.offset) == [13, 16])
        #expect(found.allSatisfy { $0.rule == "default" })
    }

    @Test("without a phrase, the first candidate, reported as the default")
    func defaultCandidate() throws {
        let (output, found) = try run("发", .s2t)
        #expect(output == "發")
        #expect(found == [Ambiguity(offset: 0, source: "发", candidates: ["發", "髮"], choice: "發", rule: "default", phrase: nil)])
    }

    @Test("conservative keeps what no phrase decides, and converts the rest")
    func conservative() throws {
        let (output, found) = try run("发 头发 干 干净", .s2t, conservative: true)
        #expect(output == "发 頭髮 干 乾淨")
        #expect(found.filter { $0.rule == "conservative" }.map(\.source) == ["发", "干"])
        #expect(Converter(.s2t, options: ConversionOptions(conservative: true)).convert("发") == "发")
    }

    @Test("offsets count bytes of the stream, whatever the chunks")
    func offsetsAcrossChunks() throws {
        let text = "abc，发。\n头发\n" + String(repeating: "干", count: 5)
        let (whole, expected) = try run(text, .s2t)
        for sizes in [[1], [2, 5], [7]] {
            let (output, found) = try run(text, .s2t, chunkSizes: sizes)
            #expect(output == whole)
            #expect(found == expected)
        }
        let bytes = Array(text.utf8)
        for ambiguity in expected {
            #expect(String(decoding: bytes[ambiguity.offset..<(ambiguity.offset + ambiguity.source.utf8.count)], as: UTF8.self)
                    == ambiguity.source)
        }
    }

    @Test("a JSON line per ambiguity")
    func jsonLine() {
        let ambiguity = Ambiguity(offset: 3, source: "发", candidates: ["發", "髮"], choice: "髮", rule: "phrase", phrase: "头发 → 頭髮")
        #expect(ambiguity.jsonLine == #"{"offset":3,"span":[3,6],"source":"发","candidates":["發","髮"],"choice":"髮","rule":"phrase","phrase":"头发 → 頭髮"}"# + "\n")
    }
}
