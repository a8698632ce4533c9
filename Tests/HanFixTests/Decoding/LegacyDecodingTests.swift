import HanFix
import Testing

/// `TextPipeline.inputEncoding`: legacy encodings decoded strictly, then repaired and converted.
@Suite("Legacy input encodings")
struct LegacyDecodingTests {
    /// 发展和头发 in GB18030, then 𠮶 (a four-byte GB18030 sequence).
    static let gb18030: [UInt8] = [183, 162, 213, 185, 186, 205, 205, 183, 183, 162, 149, 52, 178, 52]
    /// 頭髮和發展 in Big5.
    static let big5: [UInt8] = [192, 89, 190, 118, 169, 77, 181, 111, 174, 105]

    func run(_ input: [UInt8], encoding: String, conversion: ConversionConfiguration?,
             chunks: [Int] = [4096]) throws -> String {
        var stream = try TextPipeline(conversion: conversion, inputEncoding: encoding).makeStream()
        return String(decoding: try stream.run(input, chunkSizes: chunks), as: UTF8.self)
    }

    @Test("GB18030, Big5 and UTF-16LE decode and convert")
    func decodeAndConvert() throws {
        #expect(try run(Self.gb18030, encoding: "GB18030", conversion: .s2t) == "發展和頭髮嗰")
        #expect(try run(Self.big5, encoding: "Big5", conversion: .t2s) == "头发和发展")
        #expect(try run([52, 89, 209, 83], encoding: "UTF-16LE", conversion: nil) == "头发")
        // UTF-8, named in any case, is validated as usual rather than decoded by ICU.
        #expect(throws: HanFixError.invalidUTF8(offset: 0)) {
            try run(Self.gb18030, encoding: "utf-8", conversion: nil)
        }
    }

    @Test("The output does not depend on where chunks cut multi-byte sequences")
    func chunkIndependence() throws {
        let whole = try run(Self.gb18030, encoding: "GB18030", conversion: .s2t)
        for size in [1, 2, 3, 5, 7] {
            #expect(try run(Self.gb18030, encoding: "GB18030", conversion: .s2t, chunks: [size]) == whole)
        }
    }

    @Test("An illegal byte is an error at its offset, whatever the chunking")
    func illegalByte() throws {
        let input = Array(Self.gb18030[..<4]) + [0x80] + Array(Self.gb18030[4...])
        for size in [1, 3, 4096] {
            #expect(throws: HanFixError.undecodable(encoding: "GB18030", offset: 4)) {
                try run(input, encoding: "GB18030", conversion: nil, chunks: [size])
            }
        }
    }

    @Test("A byte pair ICU decodes to a private-use code point is an error, not a silent U+E000")
    func privateUse() throws {
        // AA A1 is in GBK's user-defined area, which ICU maps to U+E000.
        let input: [UInt8] = [0x61, 0x62, 0xAA, 0xA1, 0x63]
        #expect(throws: HanFixError.undecodable(encoding: "GBK", offset: 2)) {
            try run(input, encoding: "GBK", conversion: nil)
        }
    }

    @Test("An unknown encoding name is reported")
    func unknownEncoding() {
        #expect(throws: HanFixError.unknownEncoding("no-such-charset")) {
            try TextPipeline(inputEncoding: "no-such-charset").makeStream()
        }
    }
}

@Suite("Legacy decoding error offsets")
struct LegacyDecodingOffsetTests {
    func errorOffset(_ input: [UInt8], encoding: String, chunks: [Int]) -> Int? {
        do {
            var stream = try TextPipeline(inputEncoding: encoding).makeStream()
            _ = try stream.run(input, chunkSizes: chunks)
            return nil
        } catch HanFixError.undecodable(_, let offset) {
            return offset
        } catch {
            return -1
        }
    }

    @Test("Offsets do not depend on where a chunk cuts the bad sequence")
    func splitSequences() {
        // 81 cannot be followed by a space in GBK: the error is at 81's offset, 2.
        let illegal: [UInt8] = [0x61, 0x62, 0x81, 0x20, 0x63, 0x64]
        // AA A1 decodes to a private-use code point: an error at offset 4.
        let privateUse: [UInt8] = [0x61, 0x62, 0x63, 0x64, 0xAA, 0xA1]
        for chunks in [[4096], [3, 4096], [1]] {
            #expect(errorOffset(illegal, encoding: "GBK", chunks: chunks) == 2, "\(chunks)")
            #expect(errorOffset(privateUse, encoding: "GBK", chunks: chunks) == 4, "\(chunks)")
        }
        #expect(errorOffset([0x61, 0x62, 0x81], encoding: "GBK", chunks: [4096]) == 2)  // cut short at the end
        #expect(errorOffset([0x61, 0x62, 0xAA], encoding: "GBK", chunks: [5, 1]) != nil)
    }
}
