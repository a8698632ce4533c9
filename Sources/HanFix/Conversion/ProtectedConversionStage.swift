/// Converts text line by line around protected spans (``ProtectedSpanFinder``) and user
/// dictionary phrases (``UserDictionary``): each stretch between them is converted on its own,
/// so that no built-in phrase reaches into a URL, a code span or a user's phrase.
///
/// A line converts the same alone as in a stream (no dictionary key holds a newline), and a
/// partial line waits for its end (``RegionSplitter``: very long lines in pieces), so the
/// output does not depend on chunking. The input must be valid UTF-8 (validated before).
struct ProtectedConversionStage: StreamingStage {
    private let converter: Converter?
    private var finder: ProtectedSpanFinder
    private let dictionary: UserDictionary?
    private let pending = ByteBuffer(capacity: 1024)
    /// Reused for every stretch: its conversion, and the converter's scratch buffers.
    private let converted = ByteBuffer(capacity: 1024)
    private let workspace = ConversionWorkspace()
    /// Receives each one-to-many character, with its offset in this stage's input.
    private let report: ((Ambiguity) -> Void)?
    /// Stream offset of `pending`'s first byte.
    private var consumed = 0

    init(converter: Converter?, format: TextFormat, markup: Bool, dictionaries: [UserDictionary],
         report: ((Ambiguity) -> Void)? = nil) {
        self.converter = converter
        finder = ProtectedSpanFinder(format: format, markup: markup)
        dictionary = UserDictionary.merged(dictionaries)
        self.report = report
        if report != nil { workspace.recorder = AmbiguityRecorder() }
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        pending.append(input)
        let text = pending.bytes
        let end = isFinal ? text.count : RegionSplitter.regionsEnd(text)
        var start = 0
        var converted: [UInt8] = []
        while start < end {
            let lineEnd = min(RegionSplitter.pieceEnd(text, from: start), end)
            convertLine(UnsafeBufferPointer(rebasing: text[start..<lineEnd]), at: consumed + start, into: &converted)
            start = lineEnd
        }
        converted.withUnsafeBufferPointer(output.append)
        pending.removeFirst(end)
        consumed += end
        return nil
    }

    /// Converts `line`, which starts at stream offset `lineOffset`.
    private mutating func convertLine(_ line: UnsafeBufferPointer<UInt8>, at lineOffset: Int, into output: inout [UInt8]) {
        var spans = finder.spans(in: line)
        if let dictionary { spans = Self.withPhrases(of: dictionary, in: line, around: spans) }
        var position = 0
        for span in spans + [ProtectedSpan(range: line.count..<line.count, replacement: nil)] {
            convert(UnsafeBufferPointer(rebasing: line[position..<span.range.lowerBound]), at: lineOffset + position,
                    into: &output)
            output += span.replacement ?? Array(line[span.range])
            position = span.range.upperBound
        }
    }

    /// Converts one stretch between protected spans, which starts at stream offset `offset`.
    /// The stretch ends where no phrase may reach (a protected span or the line's end), so it
    /// is one block, converted with the stage's own buffers.
    private func convert(_ text: UnsafeBufferPointer<UInt8>, at offset: Int, into output: inout [UInt8]) {
        guard !text.isEmpty else { return }
        guard let converter else {
            output += text
            return
        }
        converted.removeAll()
        converter.convertBlock(text, into: converted, workspace: workspace)
        output.append(contentsOf: converted.bytes)
        if let report, let recorder = workspace.recorder {
            // The converter counts offsets from the stretch's start.
            for var ambiguity in recorder.events {
                ambiguity.offset += offset
                report(ambiguity)
            }
            recorder.events.removeAll(keepingCapacity: true)
        }
    }

    /// `spans` with the user's phrases found in the text between them, longest match first,
    /// left to right, at character boundaries.
    static func withPhrases(of dictionary: UserDictionary, in line: UnsafeBufferPointer<UInt8>,
                            around spans: [ProtectedSpan]) -> [ProtectedSpan] {
        var result: [ProtectedSpan] = []
        var position = 0
        for span in spans + [ProtectedSpan(range: line.count..<line.count, replacement: nil)] {
            var index = position
            while index < span.range.lowerBound {
                if line[index] & 0xC0 != 0x80, let match = dictionary.longestMatch(in: UnsafeBufferPointer(rebasing: line[..<span.range.lowerBound]), at: index) {
                    result.append(ProtectedSpan(range: index..<index + match.length, replacement: match.value))
                    index += match.length
                } else {
                    index += 1
                }
            }
            if !span.range.isEmpty { result.append(span) }
            position = span.range.upperBound
        }
        return result
    }
}
