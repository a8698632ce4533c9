/// One stage of a streaming pipeline: decoding, repair, conversion or encoding.
///
/// A stage may hold back a tail of its input until it knows how to treat it (an incomplete
/// UTF-8 sequence, a phrase that may continue in the next chunk). The contract that makes
/// every pipeline chunk-independent: the concatenated output of a stage over any split of its
/// input equals its output over the whole input.
protocol StreamingStage {
    /// Consumes `input` and produces whatever output is now certain. With `isFinal`, the input
    /// is the last and nothing may be held back.
    ///
    /// The output is either appended to `output` (return nil) or, when it is a prefix of
    /// `input` unchanged, named by its length, which saves a copy: valid text through a
    /// validator, text without notes through the repair.
    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int?
}
