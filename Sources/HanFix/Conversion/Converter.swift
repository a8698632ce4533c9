/// Converts Chinese text between scripts and regional standards: OpenCC 1.4.2's dictionaries,
/// with HanFix's engine (the default) or exactly as OpenCC (``ConversionEngine/opencc``).
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
/// For large inputs use the byte API, ``convert(_:appendingTo:concurrency:)``, or a stream
/// from ``makeStream(invalidUTF8:concurrency:)``, which converts chunk by chunk in bounded
/// memory and gives the same bytes however the input is split.
public struct Converter: Sendable {
    /// The conversion this converter performs.
    public let configuration: ConversionConfiguration
    /// The engine that performs it.
    public var engine: ConversionEngine { plan.engine }
    let plan: ConversionPlan
    /// Text already in the target script, for HanFix's script-converting configs.
    let scriptGate: ScriptGate?

    /// Creates a converter for `configuration`.
    ///
    /// ```swift
    /// Converter(.s2t).convert("被发明")                   // "被發明"
    /// Converter(.s2t, engine: .opencc).convert("被发明")  // "被髮明", OpenCC's output
    /// ```
    public init(_ configuration: ConversionConfiguration, engine: ConversionEngine = .hanfix,
                options: ConversionOptions = .init()) {
        self.configuration = configuration
        let plan = ConversionPlan(configuration, engine: engine, options: options)
        self.plan = plan
        scriptGate = plan.targetScript.map { script in
            ScriptGate(target: script, withinTarget: plan.withinTargetConfig.map {
                ConversionPlan(tables: .embedded, index: $0, configuration: configuration, engine: engine, options: options)
            })
        }
    }

    /// Returns `text` converted.
    ///
    /// Characters without a mapping, including every non-Han character, are kept as they are.
    /// Complexity: O(n) in the length of `text`.
    public func convert(_ text: String) -> String {
        var text = text
        return text.withUTF8 { input in
            var output: [UInt8] = []
            convert(input, appendingTo: &output)
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Converts UTF-8 `input` and appends the result to `output`.
    ///
    /// Ill-formed UTF-8 is copied through unchanged; validate first (or use a stream with an
    /// ``InvalidUTF8Policy``) to have it reported. With `concurrency` above 1, large inputs are
    /// split at safe cuts and converted on that many threads, with the same result.
    /// Complexity: O(n) in `input.count`.
    public func convert(_ input: UnsafeBufferPointer<UInt8>, appendingTo output: inout [UInt8],
                        concurrency: Int = 1) {
        convert(input, appendingTo: &output, concurrency: concurrency, report: nil)
    }

    /// ``convert(_:appendingTo:concurrency:)``, reporting each one-to-many character to
    /// `report` with its offset in `input` (on one thread when reporting).
    func convert(_ input: UnsafeBufferPointer<UInt8>, appendingTo output: inout [UInt8],
                 concurrency: Int = 1, report: ((Ambiguity) -> Void)?) {
        // Blocks of a few hundred KiB keep the working set in cache.
        let blockSize = 256 * 1024 * max(1, concurrency)
        var stage = ConversionStage(converter: self, policy: .pass, concurrency: concurrency, report: report)
        let buffer = ByteBuffer(capacity: min(input.count, blockSize) * plan.maxExpansion + 16)
        // Geometric growth: callers that append piece by piece (protected spans) would copy
        // the whole output at every piece if the reserve were exact.
        let needed = output.count + input.count + input.count / 4
        if output.capacity < needed { output.reserveCapacity(max(needed, 2 * output.capacity)) }
        var offset = 0
        repeat {
            let end = min(input.count, offset + blockSize)
            buffer.removeAll()
            // The policy is .pass, so the stage cannot throw.
            let block = UnsafeBufferPointer(rebasing: input[offset..<end])
            if let unchanged = try! stage.process(block, isFinal: end == input.count, into: buffer) {
                output.append(contentsOf: block[..<unchanged])
            } else {
                output.append(contentsOf: buffer.bytes)
            }
            offset = end
        } while offset < input.count
    }

    /// Returns the conversion of the UTF-8 bytes `input`; see ``convert(_:appendingTo:concurrency:)``.
    public func convert(_ input: [UInt8], concurrency: Int = 1) -> [UInt8] {
        var output: [UInt8] = []
        input.withUnsafeBufferPointer { convert($0, appendingTo: &output, concurrency: concurrency) }
        return output
    }

    /// Converts one block that ends at a point where a cut cannot change any match: the
    /// plan's conversion, except for stretches already in the target script (``ScriptGate``).
    /// Returns whether the block holds ill-formed UTF-8 (copied through unchanged).
    /// `pieces` says whether the block starts or ends inside a line (one too long to convert
    /// whole), which the gate must not judge as if it were whole.
    @discardableResult
    func convertBlock(_ input: UnsafeBufferPointer<UInt8>, into output: ByteBuffer,
                      workspace: ConversionWorkspace, pieces: LinePieces = []) -> Bool {
        guard let scriptGate else { return plan.convertBlock(input, into: output, workspace: workspace) }
        var sawInvalid = false
        scriptGate.forEachRun(in: input, pieces: pieces) { run, isInTargetScript in
            let plan = isInTargetScript ? scriptGate.withinTarget : self.plan
            guard let plan else {
                output.append(UnsafeBufferPointer(rebasing: input[run]))  // nothing to do, and valid UTF-8
                return
            }
            // The run's ambiguities are counted from its start; the block's from the block's.
            var earlier: [Ambiguity] = []
            if let recorder = workspace.recorder { swap(&earlier, &recorder.events) }
            if plan.convertBlock(UnsafeBufferPointer(rebasing: input[run]), into: output, workspace: workspace) {
                sawInvalid = true
            }
            if let recorder = workspace.recorder {
                for index in recorder.events.indices { recorder.events[index].offset += run.lowerBound }
                earlier.append(contentsOf: recorder.events)
                swap(&earlier, &recorder.events)
            }
        }
        return sawInvalid
    }
}

extension ConversionPlan {
    /// Converts one block by the plan's steps; see ``Converter/convertBlock(_:into:workspace:)``.
    func convertBlock(_ input: UnsafeBufferPointer<UInt8>, into output: ByteBuffer,
                      workspace: ConversionWorkspace) -> Bool {
        var text = input
        var barriers = workspace.takeBarriers()
        defer { workspace.barriers = barriers }
        var normalized = false
        if let normalization, normalization.mayMatch(input) {
            workspace.normalized.removeAll()
            var none = Barriers()
            normalization.convert(input, into: workspace.normalized, barriers: &none)
            text = workspace.normalized.bytes
            normalized = true
        }
        defer { if normalized { workspace.recorder?.mapOffsets(from: workspace.normalized.bytes, to: input) } }
        var firstStepRespects = false
        switch segmentation {
        case nil:
            barriers.startBlock(recording: nil)
        case .firstStep(let maxPriority):
            barriers.startBlock(recording: maxPriority)
        case .separate(let segmenter, let maxPriority):
            // The segmenter's own greedy matching is the segmentation: it runs as a conversion
            // (the fastest walk over the text), recording its segments, and its output is
            // thrown away. The scratch buffer is one the chain has not used yet.
            barriers.startSegmentationPass(maxPriority: maxPriority)
            let scratch = workspace.steps[1]
            scratch.removeAll()
            segmenter.convert(text, into: scratch, barriers: &barriers)
            firstStepRespects = true
        }
        // Each step but the last writes to a workspace buffer; the last appends to `output`.
        var sawInvalid = false
        for step in chain.indices {
            let target = step == chain.count - 1 ? output : workspace.steps[step & 1]
            if target !== output { target.removeAll() }
            if step > 0 || firstStepRespects { barriers.nextStep() }
            // One-to-many characters are decided in the first step, which reports them.
            let invalid = chain[step].convert(text, into: target, barriers: &barriers,
                                              recorder: step == 0 ? workspace.recorder : nil)
            if step == 0 { sawInvalid = invalid }  // later steps see the same bytes
            text = target.bytes
        }
        return sawInvalid
    }
}

/// Scratch buffers reused across the blocks of one conversion.
final class ConversionWorkspace {
    let normalized = ByteBuffer(capacity: 4096)
    let steps = [ByteBuffer(capacity: 4096), ByteBuffer(capacity: 4096)]
    var barriers = Barriers()
    /// Set when ambiguities are reported (``ConversionStage``).
    var recorder: AmbiguityRecorder?

    /// Moves the barrier arrays out, so that they are uniquely referenced while a block is
    /// converted (no copy on append); they come back with their capacity afterwards.
    func takeBarriers() -> Barriers {
        defer { barriers = Barriers() }
        return barriers
    }
}
