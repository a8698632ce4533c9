import Foundation
import HanFix
import Testing

/// HanFix's engine against OpenCC 1.4.2's known mistakes (Fixtures/accuracy-regressions.jsonl,
/// gathered as its README says), and the properties that make it safe on mixed-script text.
@Suite("Accuracy beyond OpenCC")
struct AccuracyTests {
    struct Regression: Decodable, CustomTestStringConvertible, Sendable {
        let config: String
        let input: String
        let expected: String
        let opencc: String
        let why: String
        let kind: String
        var configuration: ConversionConfiguration { ConversionConfiguration(rawValue: config)! }
        var testDescription: String { "\(config) \(input)" }
    }

    static let regressions: [Regression] = Fixtures.text("accuracy-regressions.jsonl")
        .split(separator: "\n").map { try! JSONDecoder().decode(Regression.self, from: Data($0.utf8)) }

    /// Rows HanFix does not fix yet, each with the reason; the test fails if one starts
    /// passing, so this list stays exact. See docs/ACCURACY.md, "Known gaps".
    static let knownGaps: [String: String] = Fixtures.text("accuracy-known-gaps.tsv")
        .split(separator: "\n").filter { !$0.hasPrefix("#") }
        .reduce(into: [:]) { gaps, line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            gaps["\(fields[0]) \(fields[1])"] = String(fields[2])
        }

    @Test("the corpus holds at least 100 of OpenCC 1.4.2's mistakes, each one real")
    func corpusIsReal() {
        #expect(Self.regressions.count >= 100)
        for row in Self.regressions {
            #expect(row.opencc != row.expected, "\(row.testDescription): OpenCC gets it right")
            #expect(Converter(row.configuration, engine: .opencc).convert(row.input) == row.opencc,
                    "\(row.testDescription): the recorded OpenCC output is not OpenCC's")
        }
    }

    @Test("HanFix's engine fixes OpenCC's mistake", arguments: regressions)
    func fixesMistake(_ row: Regression) {
        let output = Converter(row.configuration).convert(row.input)
        if let gap = Self.knownGaps[row.testDescription] {
            withKnownIssue(Comment(rawValue: gap)) { #expect(output == row.expected) }
        } else {
            #expect(output == row.expected, "\(row.why)")
        }
    }

    @Test("a second pass changes nothing", arguments: [
        (ConversionConfiguration.s2t, "sample-zh-hans.txt"), (.s2tw, "sample-zh-hans.txt"), (.s2hk, "sample-zh-hans.txt"),
        (.t2s, "sample-zh-hant.txt"), (.tw2s, "sample-zh-hant.txt"), (.hk2s, "sample-zh-hant.txt"),
    ])
    func secondPassChangesNothing(_ configuration: ConversionConfiguration, sample: String) {
        let converter = Converter(configuration)
        var inputs = Fixtures.text(sample).split(separator: "\n").map(String.init)
        inputs += Self.regressions.filter { $0.configuration == configuration }.map(\.input)
        for input in inputs {
            let once = converter.convert(input)
            #expect(converter.convert(once) == once, "\(input)")
        }
    }

    @Test("the result does not depend on chunk boundaries", arguments: [ConversionConfiguration.s2t, .s2twp, .tw2sp, .t2s])
    func chunkIndependent(_ configuration: ConversionConfiguration) throws {
        let rows = Self.regressions.filter { $0.configuration == configuration }.map(\.input)
        let text = Array((rows + [Fixtures.text("sample-zh-hans.txt")]).joined(separator: "\n").utf8)
        let whole = Converter(configuration).convert(text)
        for sizes in [[1], [2, 3], [7, 1, 64]] {
            var stream = Converter(configuration).makeStream()
            #expect(try stream.run(text, chunkSizes: sizes) == whole, "chunks \(sizes)")
        }
    }

    @Test("--engine opencc keeps OpenCC's mistakes: the flag is the exact OpenCC output")
    func openCCEngineIsExact() {
        for row in Self.regressions {
            #expect(Converter(row.configuration, engine: .opencc).convert(row.input) == row.opencc)
        }
    }
}
