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
    /// Bytes passed on before the decision (ASCII lines), for error offsets.
    private var emitted = 0

    static let nonASCIIBytesToDecide = 32

    init(detected: ((EncodingGuess) -> Void)? = nil) {
        self.detected = detected
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        if decided { return try decode(input, isFinal: isFinal, into: output) }
        // When this input decides alone, UTF-8 passes on without a copy.
        let sampleWasEmpty = sample.isEmpty
        let emittedBefore = emitted
        var sampleIsInput: Bool { sampleWasEmpty && emitted == emittedBefore }
        sample.append(input)
        if !sampleHasNUL { sampleHasNUL = input.contains(0) }
        if atStreamStart {
            guard sample.count >= 4 || isFinal else { return nil }
            if let bom = EncodingDetector.byteOrderMark(sample.bytes) {
                return try decide(bom, isFinal: isFinal, into: output, sampleIsInput: false)
            }
        }
        // Complete lines, in order, from the first one not yet examined.
        var lineStart = examined
        while !sampleHasNUL, let newline = sample.bytes[lineStart...].firstIndex(of: 0x0A) {
            // "\n" then NUL is UTF-16: when the byte after the newline is not known yet, only a
            // line of printable ASCII (which UTF-16 text rarely looks like) is taken at once.
            if newline + 1 < sample.count && sample.base[newline + 1] == 0 { sampleHasNUL = true; break }
            let lines = UnsafeBufferPointer(rebasing: sample.bytes[..<(newline + 1)])
            if newline + 1 == sample.count && !isFinal
                && lines[lineStart..<newline].contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0D) || $0 == 0x7F }) {
                break
            }
            if lineStart == 0 && !lines.contains(where: { $0 >= 0x80 }) {
                // ASCII lines: the same bytes in every candidate encoding.
                output.append(lines)
                emitted += lines.count
                sample.removeFirst(lines.count)
                atStreamStart = false
                continue
            }
            if UTF8Validation.count(lines, allowTruncatedEnd: false).invalid == 0
                || lines.lazy.filter({ $0 >= 0x80 }).count >= Self.nonASCIIBytesToDecide {
                let guess = EncodingDetector.detect(lines, isComplete: isFinal && lines.count == sample.count)
                return try decide(guess, isFinal: isFinal, into: output, sampleIsInput: sampleIsInput)
            }
            lineStart = newline + 1
        }
        examined = lineStart
        if isFinal || sample.count >= EncodingDetector.sampleSize {
            let end = min(sample.count, EncodingDetector.sampleSize)
            let guess = EncodingDetector.detect(UnsafeBufferPointer(rebasing: sample.bytes[..<end]),
                                                isComplete: isFinal && end == sample.count)
            return try decide(guess, isFinal: isFinal, into: output, sampleIsInput: sampleIsInput)
        }
        return nil
    }

    /// Opens the decoder for `guess` and decodes the whole sample. When the sample is the
    /// current input and stays unchanged (UTF-8 without a byte-order mark), it is passed on
    /// as it is (the return value); otherwise the result is appended to `output`.
    private mutating func decide(_ guess: EncodingGuess, isFinal: Bool, into output: ByteBuffer,
                                 sampleIsInput: Bool) throws -> Int? {
        // A byte-order mark counts only at the very start of the stream.
        var guess = guess
        if !atStreamStart && guess.byteOrderMarkLength > 0 {
            guess = EncodingGuess(encoding: "UTF-8", confidence: 100, byteOrderMarkLength: 0, reason: "valid UTF-8")
        }
        detected?(guess)
        decided = true
        if guess.encoding != "UTF-8" {
            decoder = try LegacyDecodingStage(encoding: guess.encoding, offset: emitted + guess.byteOrderMarkLength)
        }
        // The sample may have grown to a whole block; it is not needed again.
        defer { sample.removeAll(shrinkingTo: 64) }
        if sampleIsInput && decoder == nil && guess.byteOrderMarkLength == 0 { return sample.count }
        let text = UnsafeBufferPointer(rebasing: sample.bytes[guess.byteOrderMarkLength...])
        if let unchanged = try decode(text, isFinal: isFinal, into: output) {
            output.append(UnsafeBufferPointer(rebasing: text[..<unchanged]))
        }
        return nil
    }

    private mutating func decode(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        guard decoder != nil else { return input.count }
        return try decoder!.process(input, isFinal: isFinal, into: output)
    }
}
