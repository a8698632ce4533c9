@testable import HanFix
import Testing

@Suite("Punctuation profile")
struct PunctuationTests {
    func run(_ text: String, _ configuration: ConversionConfiguration, chunkSizes: [Int] = [1 << 20]) throws -> String {
        var pipeline = TextPipeline(conversion: configuration)
        pipeline.punctuation = PunctuationStyle(target: configuration)
        var stream = try pipeline.makeStream()
        return String(decoding: try stream.run(Array(text.utf8), chunkSizes: chunkSizes), as: UTF8.self)
    }

    @Test("Taiwan and Hong Kong targets get corner brackets, Simplified targets curly quotes; apostrophes stay")
    func bothWays() throws {
        #expect(try run("他说：“你好‘世界’。” don’t", .s2twp) == "他說：「你好『世界』。」 don’t")
        #expect(try run("他說：「你好『世界』。」", .tw2sp) == "他说：“你好‘世界’。”")
        #expect(PunctuationStyle(target: .s2t) == nil && PunctuationStyle(target: .hk2s) == .curlyQuotes)
    }

    @Test("The result does not depend on chunk boundaries")
    func chunks() throws {
        let text = "“甲”‘乙’ rock’n’roll ’丙‘ it’s\n"
        let whole = try run(text, .s2tw)
        for sizes in [[1], [2], [3], [4, 5]] {
            #expect(try run(text, .s2tw, chunkSizes: sizes) == whole, "chunks \(sizes)")
        }
        #expect(whole == "「甲」『乙』 rock’n’roll 』丙『 it’s\n")
    }
}
