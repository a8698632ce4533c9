import HanFix
import Testing

@Suite("Invalid UTF-8")
struct InvalidUTF8Tests {
    /// "头发" then a lone continuation byte at offset 6, then "后面".
    static let input: [UInt8] = Array("头发".utf8) + [0x80] + Array("后面".utf8)

    @Test("The default policy reports the byte offset of the first bad byte")
    func errorNamesOffset() throws {
        for chunk in [1, 2, 3, 4096] {
            var stream = Converter(.s2t).makeStream()
            #expect(throws: HanFixError.invalidUTF8(offset: 6)) {
                try stream.run(Self.input, chunkSizes: [chunk])
            }
        }
    }

    @Test("An offset counts every byte before the chunk, in a long stream")
    func offsetAcrossChunks() throws {
        let prefix = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        var stream = Converter(.t2s).makeStream()
        #expect(throws: HanFixError.invalidUTF8(offset: 100_006)) {
            try stream.run(prefix + Self.input, chunkSizes: [4096])
        }
    }

    @Test("replace writes U+FFFD per maximal subpart")
    func replace() throws {
        // E4 B8 is a truncated three-byte sequence: one U+FFFD; C0 and FF are one each.
        let input: [UInt8] = Array("发".utf8) + [0xE4, 0xB8] + Array("后".utf8) + [0xC0, 0xFF]
        for chunk in [1, 2, 3, 5, 4096] {
            var stream = Converter(.s2t).makeStream(invalidUTF8: .replace)
            let output = try stream.run(input, chunkSizes: [chunk])
            #expect(String(decoding: output, as: UTF8.self) == "發\u{FFFD}後\u{FFFD}\u{FFFD}")
        }
    }

    @Test("pass copies the bytes verbatim and converts around them")
    func pass() throws {
        for chunk in [1, 2, 3, 4096] {
            var stream = Converter(.s2t).makeStream(invalidUTF8: .pass)
            let output = try stream.run(Self.input, chunkSizes: [chunk])
            #expect(output == Array("頭髮".utf8) + [0x80] + Array("後面".utf8))
        }
    }

    @Test("A truncated sequence at the very end is an error at its offset")
    func truncatedAtEnd() throws {
        var stream = Converter(.s2t).makeStream()
        #expect(throws: HanFixError.invalidUTF8(offset: 3)) {
            try stream.run(Array("发".utf8) + [0xE5, 0x8F], chunkSizes: [1])
        }
    }

    @Test("Without conversion, validation applies the same policies")
    func validationOnly() throws {
        var failing = TextStream.validating()
        #expect(throws: HanFixError.invalidUTF8(offset: 6)) { try failing.run(Self.input, chunkSizes: [1]) }
        var replacing = TextStream.validating(invalidUTF8: .replace)
        let output = try replacing.run(Self.input, chunkSizes: [2])
        #expect(String(decoding: output, as: UTF8.self) == "头发\u{FFFD}后面")
    }

    @Test("Overlong forms and surrogates are invalid")
    func overlongAndSurrogates() throws {
        for bad: [UInt8] in [[0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC1, 0xBF]] {
            var stream = Converter(.s2t).makeStream()
            #expect(throws: HanFixError.invalidUTF8(offset: 0)) { try stream.run(bad, chunkSizes: [4096]) }
        }
    }
}

@Suite("Invalid UTF-8 after repair")
struct InvalidUTF8AfterRepairTests {
    @Test("Error offsets count the bytes that repair removed", arguments: [1, 2, 5, 4096])
    func offsetsCountRemovedNotes(chunk: Int) throws {
        // Two notes (5 and 9 bytes) are stripped before the bad byte at input offset 41.
        let prefix = Array("推進社區(qū)治理，創(chuàng)新".utf8)
        let input = prefix + [0xFF] + Array("發展".utf8)
        #expect(prefix.count == 41)
        var stream = try TextPipeline(conversion: .t2s, annotations: .auto).makeStream()
        #expect(throws: HanFixError.invalidUTF8(offset: 41)) { try stream.run(input, chunkSizes: [chunk]) }
    }
}
