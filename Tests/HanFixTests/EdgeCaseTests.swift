import Foundation
@testable import HanFix
import Testing

@Suite("Edge cases")
struct EdgeCaseTests {
    static let converters = ConversionConfiguration.allCases.map { Converter($0) }

    @Test("Empty input gives empty output", arguments: ConversionConfiguration.allCases)
    func emptyInput(_ configuration: ConversionConfiguration) throws {
        let converter = Converter(configuration)
        #expect(converter.convert("") == "")
        #expect(converter.convert([UInt8]()) == [])
        var stream = converter.makeStream()
        #expect(try stream.run([], chunkSizes: [1]) == [])
    }

    @Test("Text without Han characters passes through unchanged", arguments: ConversionConfiguration.allCases)
    func noHan(_ configuration: ConversionConfiguration) {
        let text = "Hello, world! Ünïcödé ελληνικά кириллица 한국어 かな カナ 1234 \t tabs\n"
        #expect(Converter(configuration).convert(text) == text)
    }

    @Test("Astral characters convert or pass through intact")
    func astral() {
        // s2t maps 𠮶 (U+20BB6) to 嗰; 𪚥 (U+2A6A5) and 𠀀 (U+20000) are in no key, and t2s
        // maps 㑮 to the astral 𫝈 (U+2B748). Expected values are PyPI opencc 1.4.2's.
        #expect(Converter(.s2t).convert("𠮶𪚥发𠀀") == "嗰𪚥發𠀀")
        #expect(Converter(.t2s).convert("㑮") == "𫝈")
        #expect(Converter(.t2s).convert("𠮶头髮𪚥") == "𠮶头发𪚥")
    }

    @Test("Combining marks and emoji sequences are kept byte for byte")
    func combiningAndEmoji() {
        let text = "e\u{301}发\u{20DD} 👩🏽‍💻 🇹🇼 👨‍👩‍👧 发\u{FE0F}"
        #expect(Converter(.s2t).convert(text) == "e\u{301}發\u{20DD} 👩🏽‍💻 🇹🇼 👨‍👩‍👧 發\u{FE0F}")
    }

    @Test("CRLF line endings are kept")
    func crlf() {
        #expect(Converter(.s2t).convert("头发\r\n后面\r\n") == "頭髮\r\n後面\r\n")
    }

    @Test("NUL bytes pass through and do not end the text")
    func nul() {
        #expect(Converter(.s2t).convert([0] + Array("头发\0后面".utf8) + [0])
                == [0] + Array("頭髮\0後面".utf8) + [0])
    }

    @Test("Compatibility ideographs are normalized first, as OpenCC does")
    func normalization() {
        // U+F902 車 (compatibility) is normalized to U+8ECA 車 before t2s converts it to 车.
        #expect(Converter(.t2s).convert("\u{F902}") == "车")
    }

    @Test("A 10 MB single line converts whole and streamed alike")
    func tenMegabyteLine() throws {
        let unit = Array("头发发展后面干部乾隆里面".utf8)  // 36 bytes, no safe cut inside
        var line: [UInt8] = []
        line.reserveCapacity(10_000_000)
        while line.count < 10_000_000 { line += unit }
        let converter = Converter(.s2t)
        let whole = converter.convert(line)
        #expect(whole.count == line.count)
        #expect(String(decoding: whole.prefix(36), as: UTF8.self) == "頭髮發展後面幹部乾隆裏面")
        var stream = converter.makeStream()
        #expect(try stream.run(line, chunkSizes: [65536]) == whole)
    }
}

@Suite("Long text without a safe cut")
struct LongRunTests {
    /// Characters that all occur in s2t keys: no scalar here is a safe cut.
    static let run: [UInt8] = {
        let unit = Array("头发发展后面干部乾隆里面只有".utf8)
        var bytes: [UInt8] = []
        while bytes.count < 3_000_000 { bytes += unit }
        return bytes
    }()

    @Test("Configs emit output as they go, and the same bytes as a whole conversion",
          arguments: [ConversionConfiguration.s2t, .s2twp, .tw2sp, .hk2s])
    func boundedAndExact(_ configuration: ConversionConfiguration) throws {
        let converter = Converter(configuration)
        var stream = converter.makeStream()
        var output: [UInt8] = []
        var offset = 0
        while offset < Self.run.count {
            let end = min(Self.run.count, offset + 65536)
            try stream.process(Array(Self.run[offset..<end])) { output.append(contentsOf: $0) }
            offset = end
        }
        // Held back: about the limit plus a chunk, not the whole run (lengths change little).
        #expect(output.count > Self.run.count / 2)
        try stream.finish { output.append(contentsOf: $0) }
        #expect(output == converter.convert(Self.run))
    }
}

extension LongRunTests {
    @Test("A long run cut at a parse boundary never splits an ill-formed sequence")
    func longRunWithInvalidBytes() throws {
        let input: [UInt8] = [0xFF] + Self.run.prefix(1_200_000) + [0xE4, 0xB8] + Self.run.prefix(300_000)
        let converter = Converter(.s2t)
        var whole = converter.makeStream(invalidUTF8: .replace)
        let expected = try whole.run(input, chunkSizes: [input.count])
        var chunked = converter.makeStream(invalidUTF8: .replace)
        #expect(try chunked.run(input, chunkSizes: [65536]) == expected)
        #expect(String(decoding: expected, as: UTF8.self).filter { $0 == "\u{FFFD}" }.count == 2)
    }
}

@Suite("Worker threads")
struct WorkerThreadTests {
    static func threadCount() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") } ?? "Threads: 0"
        return Int(line.split(separator: "\t").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "0") ?? 0
    }

    @Test("Threads stop when their pool is released")
    func noLeak() {
        let before = Self.threadCount()
        for _ in 0..<20 {
            let pool = WorkerThreads(width: 4)
            pool.run(parts: 4) { _ in }
        }
        #expect(Self.threadCount() <= before + 3)
    }
}
