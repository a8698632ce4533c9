/// The stages HanFix runs, in order: decoding of the input, validation, normalization,
/// mojibake repair (with damage detection), repair of annotations, script conversion, then
/// encoding of the output.
///
/// ```swift
/// var stream = try TextPipeline(conversion: .t2s, annotations: .auto).makeStream()
/// try stream.process(chunk) { write($0) }
/// try stream.finish { write($0) }
/// ```
public struct TextPipeline: Sendable {
    /// The script conversion, or nil to keep the script.
    public var conversion: ConversionConfiguration?
    /// The engine that converts: HanFix's (the default) or OpenCC's exact one.
    public var engine: ConversionEngine = .hanfix
    /// How one-to-many characters are converted (``ConversionOptions/conservative``).
    public var conversionOptions = ConversionOptions()
    /// Which pinyin annotations to strip, or nil to skip annotation repair.
    public var annotations: AnnotationMode?
    /// Whether to repair mojibake and report damage (``MojibakeRepairer``, ``DamageKind``).
    public var mojibake: Bool
    /// Which normalizations to apply (``TextNormalizer``), or nil for none.
    public var normalization: TextNormalizer.Options?
    /// What to do with ill-formed UTF-8 in the (decoded) input.
    public var invalidUTF8: InvalidUTF8Policy
    /// Threads for converting large chunks.
    public var concurrency: Int
    /// The input's encoding as an ICU converter name (GB18030, Big5, Big5-HKSCS, UTF-16LE, …),
    /// "auto" to detect it (``EncodingDetector``), or nil for UTF-8.
    public var inputEncoding: String?
    /// The output's encoding as an ICU converter name, or nil for UTF-8.
    public var outputEncoding: String?
    /// What to do with a character the output encoding cannot hold.
    public var unmappable: UnmappablePolicy
    /// Quotation marks to swap after conversion (``PunctuationStyle``), or nil.
    public var punctuation: PunctuationStyle? = nil
    /// What conversion leaves alone (``TextFormat``): nothing by default.
    public var format: TextFormat = .plain
    /// Whether MediaWiki `-{…}-` markup keeps its contents from conversion (markers removed).
    public var markup = false
    /// The user's phrase mappings, before the built-in tables; the first dictionary wins.
    public var userDictionaries: [UserDictionary] = []

    /// Whether conversion must go around protected spans or user phrases.
    private var protectsSpans: Bool { format != .plain || markup || !userDictionaries.isEmpty }

    /// A pipeline: by default, UTF-8 in and out, radicals in Han text normalized, mojibake and annotations (``AnnotationMode/auto``) repaired, no
    /// conversion, invalid UTF-8 an error, one thread.
    public init(conversion: ConversionConfiguration? = nil, annotations: AnnotationMode? = .auto, mojibake: Bool = true,
                normalization: TextNormalizer.Options? = .radicals, invalidUTF8: InvalidUTF8Policy = .error,
                concurrency: Int = 1, inputEncoding: String? = nil, outputEncoding: String? = nil,
                unmappable: UnmappablePolicy = .error) {
        self.conversion = conversion
        self.annotations = annotations
        self.mojibake = mojibake
        self.normalization = normalization
        self.invalidUTF8 = invalidUTF8
        self.concurrency = concurrency
        self.inputEncoding = inputEncoding
        self.outputEncoding = outputEncoding
        self.unmappable = unmappable
    }

    /// A stream running the pipeline. `explain` receives every change and every damage
    /// found, with offsets in the text the step read; `detected` receives the input encoding
    /// when ``inputEncoding`` is "auto"; `ambiguities` receives every one-to-many character
    /// the conversion meets and how it chose, with its offset in the text the conversion
    /// read. Throws ``HanFixError/unknownEncoding(_:)`` for an encoding ICU does not know.
    public func makeStream(explain: ((RepairEvent) -> Void)? = nil,
                           detected: ((EncodingGuess) -> Void)? = nil,
                           ambiguities: ((Ambiguity) -> Void)? = nil) throws -> TextStream {
        var stages: [any StreamingStage] = []
        if let inputEncoding, inputEncoding.lowercased() == "auto" {
            stages.append(AutoDecodingStage(detected: detected))
        } else if let inputEncoding, !Self.isUTF8(inputEncoding) {
            stages.append(try LegacyDecodingStage(encoding: inputEncoding))
        }
        let converting = conversion.map { Converter($0, engine: engine, options: conversionOptions) }
        // One pool for the stages that use threads: they run one after the other.
        let threads = concurrency > 1 && (annotations != nil || mojibake) ? WorkerThreads(width: concurrency) : nil
        let repairsBeforeAnnotations = mojibake || (normalization.map { !$0.isEmpty } ?? false) || protectsSpans
        if let annotations, let converting, invalidUTF8 == .error, !repairsBeforeAnnotations {
            // The converter finds bad bytes as it goes, at no cost; the repair stage tells it
            // where it removed bytes, so that errors name input offsets.
            let offsets = RepairedOffsets()
            stages.append(AnnotationRepairStage(repairer: AnnotationRepairer(mode: annotations), report: explain.map(Self.annotationReport),
                                                offsets: offsets, threads: threads))
            stages.append(ConversionStage(converter: converting, policy: .error, concurrency: concurrency,
                                          repairedOffsets: offsets, threads: threads, report: ambiguities))
        } else if annotations == nil && !repairsBeforeAnnotations, let converting {
            stages.append(ConversionStage(converter: converting, policy: invalidUTF8, concurrency: concurrency,
                                          report: ambiguities))
        } else {
            // Repairs read scalars: validate (or replace) first.
            if invalidUTF8 != .pass || (converting == nil && annotations == nil && !repairsBeforeAnnotations) {
                stages.append(UTF8ValidationStage(policy: invalidUTF8))
            }
            if let normalization, !normalization.isEmpty {
                stages.append(NormalizationStage(normalizer: TextNormalizer(options: normalization), report: explain))
            }
            if mojibake { stages.append(MojibakeRepairStage(report: explain, threads: threads)) }
            if let annotations {
                stages.append(AnnotationRepairStage(repairer: AnnotationRepairer(mode: annotations),
                                                    report: explain.map(Self.annotationReport), threads: threads))
            }
            if protectsSpans {
                stages.append(ProtectedConversionStage(converter: converting, format: format, markup: markup,
                                                       dictionaries: userDictionaries, report: ambiguities))
            } else if let converting {
                stages.append(ConversionStage(converter: converting, policy: .pass, concurrency: concurrency, threads: threads,
                                              report: ambiguities))
            }
        }
        if let punctuation { stages.append(PunctuationStage(style: punctuation)) }
        if let outputEncoding, !Self.isUTF8(outputEncoding) {
            stages.append(try OutputEncodingStage(encoding: outputEncoding, policy: unmappable))
        }
        return TextStream(stages: stages)
    }

    /// Annotation decisions as events: stripped notes only (a kept note is no change).
    private static func annotationReport(_ explain: @escaping (RepairEvent) -> Void) -> (AnnotationDecision) -> Void {
        { decision in if decision.verdict == .stripped { explain(RepairEvent(decision)) } }
    }

    /// Whether an encoding name means UTF-8, which needs no codec.
    public static func isUTF8(_ name: String) -> Bool {
        ["utf-8", "utf8"].contains(name.lowercased())
    }

    /// This pipeline for text whose output continues another stream's, such as the next of
    /// several files written into one output: an output encoding that starts with a
    /// byte-order mark (ICU's `UTF-16` and `UTF-32`, in the machine's byte order) is named by
    /// that byte order instead, so that the mark is written once, at the very start.
    public var continuingOutput: TextPipeline {
        var pipeline = self
        let order = UInt16(1).littleEndian == 1 ? "LE" : "BE"
        // ICU compares converter names ignoring case and the separators "-", "_" and " ".
        switch outputEncoding?.lowercased().filter({ !"-_ ".contains($0) }) {
        case "utf16": pipeline.outputEncoding = "UTF-16" + order
        case "utf32": pipeline.outputEncoding = "UTF-32" + order
        default: break
        }
        return pipeline
    }
}
