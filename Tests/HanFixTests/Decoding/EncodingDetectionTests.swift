import Foundation
@testable import HanFix
import Testing

/// `--from auto`: byte-order marks, UTF-8, and scored legacy encodings, on short and long text.
@Suite("Encoding detection")
struct EncodingDetectionTests {
    static let simplified = "社区治理与经济发展的规划，要求各地加快建设。"
    static let traditional = "臺灣的社區發展與經濟規劃，要求各地加快建設。"

    /// Bytes of `text` in `encoding`, through ICU.
    static func encode(_ text: String, _ encoding: String) throws -> [UInt8] {
        var stream = try TextPipeline(annotations: nil, mojibake: false, normalization: nil, outputEncoding: encoding)
            .makeStream()
        return try stream.run(Array(text.utf8), chunkSizes: [1 << 20])
    }

    static func detectAndDecode(_ bytes: [UInt8], chunkSizes: [Int] = [1 << 20]) throws -> (String, EncodingGuess?) {
        var guess: EncodingGuess?
        var stream = try TextPipeline(annotations: nil, mojibake: false, normalization: nil, inputEncoding: "auto")
            .makeStream(detected: { guess = $0 })
        let output = try stream.run(bytes, chunkSizes: chunkSizes)
        return (String(decoding: output, as: UTF8.self), guess)
    }

    @Test("GB18030, GBK, Big5 and UTF-16 without a byte-order mark", arguments: [
        ("GB18030", simplified, "GB18030"), ("GBK", simplified, "GB18030"), ("Big5", traditional, "Big5"),
        ("UTF-16LE", simplified, "UTF-16LE"), ("UTF-16BE", traditional, "UTF-16BE"),
    ])
    func legacyEncodings(encoding: String, text: String, detected: String) throws {
        let bytes = try Self.encode(text + "\n", encoding)
        for sizes in [[1 << 20], [1], [5, 3]] {
            let (decoded, guess) = try Self.detectAndDecode(bytes, chunkSizes: sizes)
            #expect(decoded == text + "\n", "\(encoding), chunks \(sizes)")
            #expect(guess?.encoding == detected)
        }
    }

    @Test("Short text: GBK and Big5 told apart on a few characters", arguments: ["发展", "社区", "國家", "臺灣", "你好吗"])
    func shortText(text: String) throws {
        let isTraditional = text.unicodeScalars.contains { CharacterProfileTable.embedded.isTraditionalOnly($0.value) }
        let bytes = try Self.encode(text, isTraditional ? "Big5" : "GBK")
        let (decoded, guess) = try Self.detectAndDecode(bytes)
        #expect(decoded == text)
        #expect(guess?.encoding == (isTraditional ? "Big5" : "GB18030"))
    }

    @Test("Byte-order marks: UTF-8, UTF-16LE/BE and UTF-32 are read and dropped")
    func byteOrderMarks() throws {
        let text = "臺灣的社區\n"
        let cases: [(String, [UInt8])] = [
            ("UTF-8", [0xEF, 0xBB, 0xBF] + Array(text.utf8)),
            ("UTF-16LE", [0xFF, 0xFE] + (try Self.encode(text, "UTF-16LE"))),
            ("UTF-16BE", [0xFE, 0xFF] + (try Self.encode(text, "UTF-16BE"))),
            ("UTF-32LE", [0xFF, 0xFE, 0x00, 0x00] + (try Self.encode(text, "UTF-32LE"))),
            ("UTF-32BE", [0x00, 0x00, 0xFE, 0xFF] + (try Self.encode(text, "UTF-32BE"))),
        ]
        for (encoding, bytes) in cases {
            let (decoded, guess) = try Self.detectAndDecode(bytes, chunkSizes: [1])
            #expect(decoded == text, "\(encoding)")
            #expect(guess?.encoding == encoding && guess?.byteOrderMarkLength ?? 0 > 0)
        }
    }

    @Test("UTF-8 passes through, and bytes that read as nothing stay an error at their offset")
    func utf8AndErrors() throws {
        let (decoded, guess) = try Self.detectAndDecode(Array("abc 中文\n".utf8))
        #expect(decoded == "abc 中文\n" && guess?.encoding == "UTF-8")
        #expect(throws: HanFixError.invalidUTF8(offset: 2)) { try Self.detectAndDecode([0x61, 0x62, 0xFF, 0x63]) }
    }

    @Test("ASCII lines pass on before the encoding is known; the first line with Chinese decides")
    func answersLineByLine() throws {
        var stream = try TextPipeline(annotations: nil, mojibake: false, normalization: nil, inputEncoding: "auto").makeStream()
        var output: [UInt8] = []
        try stream.process(Array("plain ASCII\n".utf8)) { output.append(contentsOf: $0) }
        #expect(output == Array("plain ASCII\n".utf8))
        try stream.process(Array("第二行\n".utf8)) { output.append(contentsOf: $0) }
        #expect(output == Array("plain ASCII\n第二行\n".utf8))
    }
}
