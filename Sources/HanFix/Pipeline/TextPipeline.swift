/// The stages HanFix runs, in order: validation of the input, repair of annotations, then
/// script conversion.
///
/// ```swift
/// var stream = try TextPipeline(conversion: .t2s, annotations: .auto).makeStream()
/// try stream.process(chunk) { write($0) }
/// try stream.finish { write($0) }
/// ```
public struct TextPipeline: Sendable {
    /// The script conversion, or nil to keep the script.
    public var conversion: ConversionConfiguration?
    /// Which pinyin annotations to strip, or nil to skip annotation repair.
    public var annotations: AnnotationMode?
    /// What to do with ill-formed UTF-8 in the (decoded) input.
    public var invalidUTF8: InvalidUTF8Policy
    /// Threads for converting large chunks.
    public var concurrency: Int
    /// The input's encoding as an ICU converter name (GB18030, Big5, Big5-HKSCS, UTF-16LE, …),
    /// or nil for UTF-8.
    public var inputEncoding: String?

    /// A pipeline: by default, UTF-8 in, annotations repaired in ``AnnotationMode/auto``, no
    /// conversion, invalid UTF-8 an error, one thread.
    public init(conversion: ConversionConfiguration? = nil, annotations: AnnotationMode? = .auto,
                invalidUTF8: InvalidUTF8Policy = .error, concurrency: Int = 1, inputEncoding: String? = nil) {
        self.conversion = conversion
        self.annotations = annotations
        self.invalidUTF8 = invalidUTF8
        self.concurrency = concurrency
        self.inputEncoding = inputEncoding
    }

    /// A stream running the pipeline; `explain` receives every annotation decision, with
    /// offsets in the (decoded) input stream. Throws ``HanFixError/unknownEncoding(_:)`` for
    /// an `inputEncoding` ICU does not know.
    public func makeStream(explain: ((AnnotationDecision) -> Void)? = nil) throws -> TextStream {
        var stages: [any StreamingStage] = []
        if let inputEncoding, !Self.isUTF8(inputEncoding) {
            stages.append(try LegacyDecodingStage(encoding: inputEncoding))
        }
        let converting = conversion.map(Converter.init)
        if let annotations {
            let repairer = AnnotationRepairer(mode: annotations)
            // One pool for both stages: they run one after the other.
            let threads = concurrency > 1 ? WorkerThreads(width: concurrency) : nil
            if let converting, invalidUTF8 == .error {
                // The converter finds bad bytes as it goes, at no cost; the repair stage tells
                // it where it removed bytes, so that errors name input offsets.
                let offsets = RepairedOffsets()
                stages.append(AnnotationRepairStage(repairer: repairer, report: explain, offsets: offsets,
                                                    threads: threads))
                stages.append(ConversionStage(converter: converting, policy: .error, concurrency: concurrency,
                                              repairedOffsets: offsets, threads: threads))
            } else {
                // Replacing changes the text the repair sees, so validate first.
                if invalidUTF8 != .pass { stages.append(UTF8ValidationStage(policy: invalidUTF8)) }
                stages.append(AnnotationRepairStage(repairer: repairer, report: explain, threads: threads))
                if let converting {
                    stages.append(ConversionStage(converter: converting, policy: .pass, concurrency: concurrency,
                                                  threads: threads))
                }
            }
        } else if let converting {
            stages.append(ConversionStage(converter: converting, policy: invalidUTF8, concurrency: concurrency))
        } else {
            stages.append(UTF8ValidationStage(policy: invalidUTF8))
        }
        return TextStream(stages: stages)
    }

    private static func isUTF8(_ name: String) -> Bool {
        ["utf-8", "utf8"].contains(name.lowercased())
    }
}
