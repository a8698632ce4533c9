/// Converts a byte stream chunk by chunk in bounded memory.
///
/// The output does not depend on how the input is split: feeding a file in 1-byte chunks
/// gives the same bytes as feeding it whole. Each call hands over the output that is certain
/// so far; ``finish(_:)`` flushes what was held back.
///
/// ```swift
/// var stream = Converter(.t2s).makeStream()
/// var output: [UInt8] = []
/// for chunk in chunks {
///     try stream.process(chunk) { output.append(contentsOf: $0) }
/// }
/// try stream.finish { output.append(contentsOf: $0) }
/// ```
public struct TextStream {
    private var stages: [any StreamingStage]
    private let buffers: [ByteBuffer]

    init(stages: [any StreamingStage]) {
        precondition(!stages.isEmpty)
        self.stages = stages
        buffers = stages.map { _ in ByteBuffer(capacity: 64 * 1024) }
    }

    /// Processes one chunk and passes the output that is now certain to `emit` (possibly
    /// nothing). Throws a ``HanFixError`` for input the stream's policies reject.
    public mutating func process(_ chunk: UnsafeRawBufferPointer,
                                 _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(chunk.bindMemory(to: UInt8.self), isFinal: false, emit)
    }

    /// Processes one chunk of bytes; see ``process(_:_:)-(UnsafeRawBufferPointer,_)``.
    public mutating func process(_ chunk: [UInt8], _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try chunk.withUnsafeBytes { try process($0, emit) }
    }

    /// Ends the stream, passing everything still held back to `emit`.
    public mutating func finish(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeBufferPointer(start: nil, count: 0), isFinal: true, emit)
    }

    private mutating func run(_ chunk: UnsafeBufferPointer<UInt8>, isFinal: Bool,
                              _ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var input = chunk
        for index in stages.indices {
            let output = buffers[index]
            output.removeAll()
            if let unchanged = try stages[index].process(input, isFinal: isFinal, into: output) {
                input = UnsafeBufferPointer(rebasing: input[..<unchanged])
            } else {
                input = output.bytes
            }
        }
        if !input.isEmpty { try emit(UnsafeRawBufferPointer(input)) }
    }
}

extension Converter {
    /// Returns a stream that validates UTF-8 under `invalidUTF8` and converts.
    ///
    /// With `concurrency` above 1, chunks of 128 KiB or more are split at safe cuts and
    /// converted on that many threads; the output is the same bytes as with one thread.
    public func makeStream(invalidUTF8: InvalidUTF8Policy = .error, concurrency: Int = 1) -> TextStream {
        TextStream(stages: [ConversionStage(converter: self, policy: invalidUTF8, concurrency: concurrency)])
    }
}

extension TextStream {
    /// A stream that only validates UTF-8 under `invalidUTF8` and otherwise copies its input.
    public static func validating(invalidUTF8: InvalidUTF8Policy = .error) -> TextStream {
        TextStream(stages: [UTF8ValidationStage(policy: invalidUTF8)])
    }
}
