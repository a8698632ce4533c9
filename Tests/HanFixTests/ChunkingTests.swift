import HanFix
import Testing

/// The output of a stream must not depend on how its input is split.
@Suite("Chunk independence")
struct ChunkingTests {
    static let chunkings: [[Int]] = [[1], [2], [3], [5], [7], [4096], [65536]]

    struct Scenario: CustomTestStringConvertible, Sendable {
        let configuration: ConversionConfiguration
        let chunkSizes: [Int]
        var testDescription: String { "\(configuration.rawValue) in chunks of \(chunkSizes)" }
    }

    static let scenarios = ConversionConfiguration.allCases.flatMap { configuration in
        chunkings.map { Scenario(configuration: configuration, chunkSizes: $0) }
    }

    @Test("Fixed chunk sizes", arguments: scenarios)
    func fixedChunks(_ scenario: Scenario) throws {
        let converter = Converter(scenario.configuration)
        for text in Fixtures.sampleTexts {
            let input = Array(text.utf8)
            var stream = converter.makeStream()
            #expect(try stream.run(input, chunkSizes: scenario.chunkSizes) == converter.convert(input))
        }
    }

    @Test("Random chunk sizes", arguments: ConversionConfiguration.allCases)
    func randomChunks(_ configuration: ConversionConfiguration) throws {
        var generator = SeededGenerator(seed: 0x5EED_0000 ^ UInt64(configuration.rawValue.utf8.count))
        let converter = Converter(configuration)
        for text in Fixtures.sampleTexts {
            let input = Array(text.utf8)
            let expected = converter.convert(input)
            for _ in 0..<20 {
                let sizes = (0..<16).map { _ in Int.random(in: 1...97, using: &generator) }
                var stream = converter.makeStream()
                #expect(try stream.run(input, chunkSizes: sizes) == expected, "chunk sizes \(sizes)")
            }
        }
    }

    @Test("A phrase split at every possible byte still matches")
    func phraseAcrossBoundary() throws {
        // 乾隆年间 is a four-scalar phrase; 干 alone would become 幹.
        let input = Array("他说乾隆年间的事".utf8)
        let converter = Converter(.s2t)
        let expected = converter.convert(input)
        for split in 1..<input.count {
            var stream = converter.makeStream()
            #expect(try stream.run(input, chunkSizes: [split, input.count]) == expected, "split at \(split)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so that random tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Converting on several threads must give the bytes of a sequential conversion.
@Suite("Concurrency independence")
struct ConcurrencyTests {
    /// About 1 MB of real text: the samples repeated.
    static let largeInput: [UInt8] = {
        var bytes: [UInt8] = []
        while bytes.count < 1_000_000 { bytes += Array(Fixtures.sampleTexts.joined(separator: "\n").utf8) }
        return bytes
    }()

    @Test("Whole-buffer conversion", arguments: [ConversionConfiguration.s2t, .t2s, .s2twp, .tw2sp, .hk2s])
    func wholeBuffer(_ configuration: ConversionConfiguration) {
        let converter = Converter(configuration)
        let sequential = converter.convert(Self.largeInput)
        for threads in [2, 3, 8] {
            #expect(converter.convert(Self.largeInput, concurrency: threads) == sequential, "\(threads) threads")
        }
    }

    @Test("Streams with several threads, in chunks of any size")
    func streamed() throws {
        let converter = Converter(.s2t)
        let sequential = converter.convert(Self.largeInput)
        for chunk in [200_000, 262_144, 1_000_000] {
            var stream = converter.makeStream(concurrency: 2)
            #expect(try stream.run(Self.largeInput, chunkSizes: [chunk]) == sequential)
        }
    }

    @Test("The first invalid byte is reported with its stream offset, whichever thread meets it")
    func errorOffset() throws {
        var input = Self.largeInput
        // Overwrite ASCII bytes, so that each bad byte is exactly where the error must point.
        let late = input[900_000...].firstIndex { $0 < 0x80 }!
        let early = input[600_000...].firstIndex { $0 < 0x80 }!
        input[late] = 0xFF  // in the last part
        input[early] = 0xFE  // earlier, in another part: this one is reported
        var stream = Converter(.s2t).makeStream(concurrency: 2)
        #expect(throws: HanFixError.invalidUTF8(offset: early)) {
            try stream.run(input, chunkSizes: [1_000_000])
        }
    }
}
