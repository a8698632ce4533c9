@testable import HanFix
import Testing

@Suite("Output encoding")
struct OutputEncodingTests {
    func encode(_ text: String, _ encoding: String, unmappable: UnmappablePolicy = .error,
                chunkSizes: [Int] = [1 << 20]) throws -> [UInt8] {
        var stream = try TextPipeline(annotations: nil, mojibake: false, normalization: nil, outputEncoding: encoding,
                                      unmappable: unmappable).makeStream()
        return try stream.run(Array(text.utf8), chunkSizes: chunkSizes)
    }

    @Test("GB18030, Big5 and UTF-16 round-trip through detection, whatever the chunking")
    func roundTrips() throws {
        for (encoding, text) in [("GB18030", "社区发展𠀀\n"), ("Big5", "臺灣的社區發展\n"), ("UTF-16LE", "社區 😀\n")] {
            let whole = try encode(text, encoding)
            #expect(try encode(text, encoding, chunkSizes: [1]) == whole)
            #expect(try encode(text, encoding, chunkSizes: [2, 5]) == whole)
            var stream = try TextPipeline(annotations: nil, mojibake: false, normalization: nil, inputEncoding: encoding)
                .makeStream()
            #expect(String(decoding: try stream.run(whole, chunkSizes: [3]), as: UTF8.self) == text, "\(encoding)")
        }
        #expect(try encode("社区", "GB18030") == [0xC9, 0xE7, 0xC7, 0xF8])
    }

    @Test("A character the encoding cannot hold is an error naming it and its offset")
    func unmappable() throws {
        #expect(throws: HanFixError.unencodable(scalar: 0x533A, encoding: "Big5", offset: 3)) {
            try encode("社区", "Big5")
        }
        #expect(throws: HanFixError.unencodable(scalar: 0x533A, encoding: "Big5", offset: 3)) {
            try encode("社区", "Big5", chunkSizes: [1])
        }
        let message = HanFixError.unencodable(scalar: 0x533A, encoding: "Big5", offset: 3).description
        #expect(message.contains("区") && message.contains("U+533A") && message.contains("byte offset 3"))
    }

    @Test("--unmappable=replace writes the encoding's substitute")
    func replace() throws {
        let output = try encode("社区", "Big5", unmappable: .replace)
        #expect(output.count == 3 && output.last == 0x3F)
    }
}
