import HanFixTableFormat

/// The compiled form of one OpenCC config: which matchers run, in what order.
///
/// OpenCC converts in three phases, and so does HanFix:
/// 1. **normalization**: compatibility ideographs become unified ones, scalar by scalar;
/// 2. **segmentation** (some configs): maximum matching with a phrase dictionary splits the
///    text into segments, each converted on its own, so no later step matches across them;
/// 3. **the chain**: each step rewrites every segment by forward maximum matching.
struct ConversionPlan: Sendable {
    let configuration: ConversionConfiguration
    let engine: ConversionEngine
    let description: String
    let normalization: PhraseMatcher?
    let segmentation: Segmentation?
    private(set) var chain: [PhraseMatcher]

    /// How a config segments. Segment boundaries become *barriers*: offsets that no match of
    /// a later step may cross, which is what converting each segment on its own amounts to.
    enum Segmentation {
        /// The first chain step's matcher holds the segmentation keys (those of priority at
        /// most `maxPriority`), and its own greedy parse is the segmentation: it records the
        /// barriers while converting.
        case firstStep(maxPriority: UInt32)
        /// A separate maximum-match pass with `matcher` finds the barriers first.
        case separate(PhraseMatcher, maxPriority: UInt32)
    }
    /// Scalars that occur in no key of any step: text may be cut after one of them without
    /// changing any match, which is what makes streaming chunk-independent.
    let keyScalars: ScalarBitmap

    /// Output bytes per input byte, at most, across all steps.
    let maxExpansion: Int

    /// HanFix's script-converting configs: the script they write, for ``ScriptGate``.
    let targetScript: TableFormat.TargetScript?
    /// The index of the config that converts text already in ``targetScript``; nil leaves
    /// such text unchanged.
    let withinTargetConfig: Int?

    /// Binds the config's records in the embedded tables. Cheap: a few dozen loads.
    init(_ configuration: ConversionConfiguration, engine: ConversionEngine, options: ConversionOptions = .init()) {
        // HanFix's engine has its own twin of each config, `hanfix:NAME` (see HanFixEngineDerivation).
        let name = engine == .hanfix ? "hanfix:" + configuration.rawValue : configuration.rawValue
        let tables = CompiledTables.embedded
        guard let index = (0..<tables.configCount).first(where: { index in
            let record = tables.configRecord(index)
            return tables.string(offset: tables.word(TableFormat.ConfigField.nameOffset.rawValue, at: record),
                                 length: tables.word(TableFormat.ConfigField.nameLength.rawValue, at: record))
                == name
        }) else {
            preconditionFailure("config \(name) is missing from the embedded tables")
        }
        self.init(tables: tables, index: index, configuration: configuration, engine: engine, options: options)
    }

    /// The plan of the config at `index` in `tables`, which performs `configuration`.
    init(tables: CompiledTables, index: Int, configuration: ConversionConfiguration, engine: ConversionEngine,
         options: ConversionOptions) {
        typealias Field = TableFormat.ConfigField
        let record = tables.configRecord(index)
        func field(_ f: Field) -> UInt32 { tables.word(f.rawValue, at: record) }
        let lexicon = field(.usesLexicon) != 0 ? Lexicon(tables: tables) : nil
        func matcher(_ f: Field, lexicon: Lexicon? = lexicon) -> PhraseMatcher? {
            let index = field(f)
            return index == TableFormat.none ? nil : PhraseMatcher(tables: tables, index: index, lexicon: lexicon)
        }
        self.configuration = configuration
        self.engine = engine
        description = tables.string(offset: field(.descriptionOffset), length: field(.descriptionLength))
        normalization = matcher(.normalization, lexicon: nil)
        let maxPriority = field(.segmentationMaxPriority)
        if let segmenter = matcher(.segmentation) {
            segmentation = field(.segmentationStep) == 0
                ? .firstStep(maxPriority: maxPriority) : .separate(segmenter, maxPriority: maxPriority)
        } else {
            segmentation = nil
        }
        chain = (0..<Int(field(.chainLength))).map { step in
            PhraseMatcher(tables: tables, index: tables.word(Field.chain0.rawValue + step, at: record), lexicon: lexicon)
        }
        keyScalars = ScalarBitmap(
            stage1: tables.pointer(at: field(.keyScalarsStage1Offset), as: UInt16.self),
            bits: tables.pointer(at: field(.keyScalarsBitsOffset), as: UInt32.self))
        maxExpansion = chain.reduce(normalization?.maxExpansion ?? 1) { $0 * $1.maxExpansion }
        targetScript = TableFormat.TargetScript(rawValue: field(.targetScript))
        let withinTarget = field(.withinTargetConfig)
        withinTargetConfig = withinTarget == TableFormat.none ? nil : Int(withinTarget)
        for step in chain.indices { chain[step].conservative = options.conservative }
    }
}

/// A set of Unicode scalars stored as a two-stage bitmap in the embedded tables.
struct ScalarBitmap: @unchecked Sendable {
    // @unchecked: the pointers address the immutable embedded tables.
    let stage1: UnsafePointer<UInt16>
    let bits: UnsafePointer<UInt32>

    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        let block = Int(stage1[Int(truncatingIfNeeded: scalar >> 8)])
        let low = scalar & 0xFF
        return bits[block &* 8 &+ Int(low >> 5)] >> (low & 31) & 1 != 0
    }
}
