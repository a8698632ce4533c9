/// Converts Chinese text between scripts and regional standards, exactly as OpenCC 1.4.2.
///
/// A converter is built once from a ``ConversionConfiguration`` and may be shared freely
/// across threads: its tables are immutable data embedded in the binary, so building one
/// costs a few microseconds and no parsing.
///
/// ```swift
/// let converter = Converter(.s2twp)
/// converter.convert("鼠标和软件")  // "滑鼠和軟體"
/// ```
///
/// For large inputs use the byte API, ``convert(_:appendingTo:)``, or a stream from
/// ``makeStream(invalidUTF8:)``, which converts chunk by chunk in bounded memory and gives
/// the same bytes however the input is split.
public struct Converter: Sendable {
    /// The conversion this converter performs.
    public let configuration: ConversionConfiguration
    let plan: ConversionPlan

    /// Creates a converter for `configuration`.
    public init(_ configuration: ConversionConfiguration) {
        self.configuration = configuration
        plan = ConversionPlan(configuration)
    }

    /// Returns `text` converted.
    ///
    /// Characters without a mapping, including every non-Han character, are kept as they are.
    /// Complexity: O(n) in the length of `text`.
    public func convert(_ text: String) -> String {
        var text = text
        return text.withUTF8 { input in
            let output = ByteBuffer(capacity: input.count * plan.maxExpansion + 16)
            convertBlock(input, into: output, workspace: ConversionWorkspace())
            return String(decoding: output.bytes, as: UTF8.self)
        }
    }

    /// Converts UTF-8 `input` and appends the result to `output`.
    ///
    /// Ill-formed UTF-8 is copied through unchanged; validate first (or use a stream with an
    /// ``InvalidUTF8Policy``) to have it reported.
    /// Complexity: O(n) in `input.count`.
    public func convert(_ input: UnsafeBufferPointer<UInt8>, appendingTo output: inout [UInt8]) {
        let buffer = ByteBuffer(capacity: input.count * plan.maxExpansion + 16)
        convertBlock(input, into: buffer, workspace: ConversionWorkspace())
        output.append(contentsOf: buffer.bytes)
    }

    /// Returns the conversion of the UTF-8 bytes `input`.
    public func convert(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        input.withUnsafeBufferPointer { convert($0, appendingTo: &output) }
        return output
    }

    /// Converts one block that ends at a point where a cut cannot change any match.
    /// Returns whether the block holds ill-formed UTF-8 (copied through unchanged).
    @discardableResult
    func convertBlock(_ input: UnsafeBufferPointer<UInt8>, into output: ByteBuffer,
                      workspace: ConversionWorkspace) -> Bool {
        var text = input
        if let normalization = plan.normalization, normalization.mayMatch(input) {
            workspace.normalized.removeAll()
            normalization.convert(input, into: workspace.normalized)
            text = workspace.normalized.bytes
        }
        guard let segmentation = plan.segmentation, let start = text.baseAddress else {
            return runChain(text, into: output, workspace: workspace)
        }
        let end = start + text.count
        var segmentStart = start
        var sawInvalid = false
        while segmentStart < end {
            let segmentEnd = segmentation.segmentEnd(from: segmentStart, end: end)
            if runChain(UnsafeBufferPointer(start: segmentStart, count: segmentEnd - segmentStart),
                        into: output, workspace: workspace) {
                sawInvalid = true
            }
            segmentStart = segmentEnd
        }
        return sawInvalid
    }

    /// Runs every step of the chain over one segment; intermediate results go to the
    /// workspace, the last step writes to `output`. Returns whether the first step met
    /// ill-formed UTF-8 (every later step sees the same bytes).
    private func runChain(_ segment: UnsafeBufferPointer<UInt8>, into output: ByteBuffer,
                          workspace: ConversionWorkspace) -> Bool {
        let chain = plan.chain
        var input = segment
        var sawInvalid = false
        for step in chain.indices {
            let target = step == chain.count - 1 ? output : workspace.steps[step & 1]
            if target !== output { target.removeAll() }
            let invalid = chain[step].convert(input, into: target)
            if step == 0 { sawInvalid = invalid }
            input = target.bytes
        }
        return sawInvalid
    }
}

/// Scratch buffers reused across the blocks of one conversion.
final class ConversionWorkspace {
    let normalized = ByteBuffer(capacity: 4096)
    let steps = [ByteBuffer(capacity: 4096), ByteBuffer(capacity: 4096)]
}
