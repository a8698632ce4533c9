import Foundation
import HanFix
import Testing

/// OpenCC 1.4.2's own test cases: 243 inputs, 556 case × config pairs, all byte-exact.
@Suite("OpenCC 1.4.2 parity")
struct OpenCCParityTests {
    @Test("testcases.json holds 556 case × config pairs covering all 16 configs")
    func fixtureIsComplete() {
        #expect(Fixtures.openCCCases.count == 556)
        #expect(Set(Fixtures.openCCCases.map(\.configuration)) == Set(ConversionConfiguration.allCases))
    }

    @Test("OpenCC test case", arguments: Fixtures.openCCCases)
    func matchesOpenCC(_ testCase: Fixtures.ParityCase) {
        #expect(Converter(testCase.configuration).convert(testCase.input) == testCase.expected)
    }

    @Test("Streaming in 1-byte chunks gives OpenCC's output too", arguments: Fixtures.openCCCases)
    func streamedMatchesOpenCC(_ testCase: Fixtures.ParityCase) throws {
        var stream = Converter(testCase.configuration).makeStream()
        let output = try stream.run(Array(testCase.input.utf8), chunkSizes: [1])
        #expect(String(decoding: output, as: UTF8.self) == testCase.expected)
    }
}

/// The committed samples, converted by PyPI opencc 1.4.2 under every config
/// (scripts/make-sample-expectations.py).
@Suite("OpenCC 1.4.2 parity on the samples")
struct SampleParityTests {
    struct Expectation: CustomTestStringConvertible, Sendable {
        let sample: String
        let configuration: ConversionConfiguration
        let expected: String
        var testDescription: String { "\(sample) \(configuration.rawValue)" }
    }

    static let expectations: [Expectation] = {
        let root = try! JSONSerialization.jsonObject(with: Fixtures.data("sample-expected.json")) as! [String: Any]
        let expected = root["expected"] as! [String: [String: String]]
        return expected.keys.sorted().flatMap { sample in
            expected[sample]!.keys.sorted().map { name in
                Expectation(sample: sample, configuration: ConversionConfiguration(rawValue: name)!,
                            expected: expected[sample]![name]!)
            }
        }
    }()

    @Test("sample", arguments: expectations)
    func matchesOpenCC(_ expectation: Expectation) {
        let input = Fixtures.text(expectation.sample)
        #expect(Converter(expectation.configuration).convert(input) == expectation.expected)
    }
}
