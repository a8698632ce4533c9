/// Detects the input's encoding (``EncodingDetector``), then decodes the whole stream with
/// it, dropping a byte-order mark. UTF-8 input passes through unchanged.
///
/// The decision is taken as early as the input allows, so that a pipe answers line by line,
/// and on a sample that does not depend on how the input arrives in chunks:
/// - a byte-order mark decides at once;
/// - lines of ASCII (no NUL) are the same in every candidate and pass on undecided;
/// - otherwise, after each complete line, the lines so far decide when they are valid UTF-8,
///   or when they hold 32 non-ASCII bytes (about 16 characters, enough to score);
/// - text with NUL bytes (UTF-16) waits for ``EncodingDetector/sampleSize`` bytes, as does a
///   stream without newlines; the end of the input decides too.
struct AutoDecodingStage: StreamingStage {
    private let detected: ((EncodingGuess) -> Void)?
    private let sample = ByteBuffer(capacity: 1024)
    /// Where the first line of `sample` not yet examined starts.
    private var examined = 0
    private var sampleHasNUL = false
    private var decoder: LegacyDecodingStage?
    private var decided = false
    private var atStreamStart = true

    static let nonASCIIBytesToDecide = 32

    init(detected: ((EncodingGuess) -> Void)? = nil) {
        self.detected = detected
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        if decided { return try decode(input, isFinal: isFinal, into: output) }
        sample.append(input)
        if !sampleHasNUL { sampleHasNUL = input.contains(0) }
        if atStreamStart {
            guard sample.count >= 4 || isFinal else { return nil }
            if let bom = EncodingDetector.byteOrderMark(sample.bytes) {
                try decide(bom, isFinal: isFinal, into: output)
                return nil
            }
        }
        // Complete lines, in order, from the first one not yet examined.
        var lineStart = examined
        while !sampleHasNUL, let newline = sample.bytes[lineStart...].firstIndex(of: 0x0A) {
            let lines = UnsafeBufferPointer(rebasing: sample.bytes[..<(newline + 1)])
            if lineStart == 0 && !lines.contains(where: { $0 >= 0x80 }) {
                // ASCII lines: the same bytes in every candidate encoding.
                output.append(lines)
                sample.removeFirst(lines.count)
                atStreamStart = false
                continue
            }
            if UTF8Validation.count(lines, allowTruncatedEnd: false).invalid == 0
                || lines.lazy.filter({ $0 >= 0x80 }).count >= Self.nonASCIIBytesToDecide {
                let guess = EncodingDetector.detect(lines, isComplete: isFinal && lines.count == sample.count)
                try decide(guess, isFinal: isFinal, into: output)
                return nil
            }
            lineStart = newline + 1
        }
        examined = lineStart
        if isFinal || sample.count >= EncodingDetector.sampleSize {
            let end = min(sample.count, EncodingDetector.sampleSize)
            let guess = EncodingDetector.detect(UnsafeBufferPointer(rebasing: sample.bytes[..<end]),
                                                isComplete: isFinal && end == sample.count)
            try decide(guess, isFinal: isFinal, into: output)
        }
        return nil
    }

    /// Opens the decoder for `guess` and decodes the whole sample.
    private mutating func decide(_ guess: EncodingGuess, isFinal: Bool, into output: ByteBuffer) throws {
        detected?(guess)
        decided = true
        if guess.encoding != "UTF-8" {
            decoder = try LegacyDecodingStage(encoding: guess.encoding, offset: guess.byteOrderMarkLength)
        }
        let text = UnsafeBufferPointer(rebasing: sample.bytes[guess.byteOrderMarkLength...])
        if let unchanged = try decode(text, isFinal: isFinal, into: output) {
            output.append(UnsafeBufferPointer(rebasing: text[..<unchanged]))
        }
        sample.removeAll()
    }

    private mutating func decode(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        guard decoder != nil else { return input.count }
        return try decoder!.process(input, isFinal: isFinal, into: output)
    }
}
