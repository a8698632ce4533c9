import Glibc
import HanFix

/// The options every hanfix command shares, and the run loop they drive.
struct PipelineOptions {
    var output: String?
    var annotations: AnnotationMode = .auto
    var noRepair = false
    var explain: String?
    var ambiguities: String?
    var conservative = false
    var from = "auto"
    var toEncoding: String?
    var unmappable: UnmappablePolicy = .error
    var noMojibake = false
    var fullRepair = false
    var unifyCompatibility = false
    var engine: ConversionEngine = .hanfix
    var format: TextFormat = .plain
    var markup = false
    var dict: [String] = []
    var punctuation = false
    var foldWidth = false
    var unescape = false
    var failOnDamage = false
    var invalid: InvalidUTF8Policy = .error
    var lineBuffered = false
    var lineMode = false
    var jobs: Int?
    var bulk = BulkOptions()
    var files: [String] = []

    static var declarations: [OptionDeclaration<Self>] { [
        .value("output", short: "o", help: "Write to this file instead of standard output.", \.output),
        .choice("annotations", help: "Which pinyin annotations to strip: auto (converter artifacts), strip (every valid reading) or keep.", \.annotations),
        .flag("no-repair", help: "Skip every repair (normalization, mojibake, annotations): convert only.", \.noRepair),
        .value("explain", valueName: "FILE", bareValue: "-",
               help: "Write one JSON line per change or damage found, to standard error (--explain) or to FILE (--explain=FILE). Offsets count bytes of the UTF-8 text each step reads: after --from decoding and --invalid=replace substitution, then after each earlier repair (normalization, then mojibake, then annotations); damage offsets are in the text after mojibake repair.",
               \.explain),
        .value("ambiguities", valueName: "FILE", bareValue: "-",
               help: "With -c: write one JSON line per character that has several conversions (干 → 幹 乾 干), with its span, the candidates, the choice and the rule that chose it (phrase, default or conservative), to standard error (--ambiguities) or to FILE (--ambiguities=FILE). Offsets count bytes of the text the conversion reads.",
               \.ambiguities),
        .flag("conservative", help: "With -c: leave a character that has several conversions unconverted unless a dictionary phrase decides it, as MediaWiki does.", \.conservative),
        .value("from", help: "The input's encoding: auto (default: byte-order mark, UTF-8, or the best-scoring of GB18030, Big5, Big5-HKSCS, UTF-16) or an ICU converter name such as UTF-8, GB18030, GBK, Big5, Big5-HKSCS, UTF-16LE.", \.from),
        .value("to-encoding", help: "The output's encoding: UTF-8 (default; with --in-place or --output-dir, each file's own encoding) or an ICU converter name such as UTF-8, GB18030, Big5, UTF-16LE.", \.toEncoding),
        .choice("unmappable", help: "What to do with a character the output encoding cannot hold: error (stop, naming it and its offset) or replace (the encoding's substitute).", \.unmappable),
        .flag("no-mojibake", help: "Do not repair mojibake (UTF-8 read as GBK or Windows-1252, GBK read as Latin-1, Big5 ⇄ GBK).", \.noMojibake),
        .flag("full-repair", help: "With -c: repair as `hanfix repair` does (mojibake, radicals and pinyin notes) before converting. Without it, -c repairs pinyin notes only, which costs little.", \.fullRepair),
        .flag("unify-compatibility", help: "Replace CJK Compatibility Ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) with their unified ideographs; the twelve unified ideographs in that block stay.", \.unifyCompatibility),
        .choice("engine", help: "The conversion engine: hanfix (default: resolves matches that cross a word by word frequency, leaves text already in the target script alone, applies context rules such as 著 → 着) or opencc (OpenCC 1.4.2's output, byte for byte).", \.engine),
        .choice("format", help: "What conversion leaves alone: plain (nothing, the default), text (URLs, e-mail addresses), markdown (also code spans and fenced code), html (also tags, attributes, comments, script, style, code and pre).", \.format),
        .flag("markup", help: "Honour MediaWiki -{…}- markup: its contents are kept from conversion and the markers removed.", \.markup),
        .values("dict", valueName: "FILE", help: "A TSV of phrase<TAB>value mappings that take priority over the built-in tables; repeatable, the first file wins on a phrase.", \.dict),
        .flag("punctuation", help: "With a Taiwan or Hong Kong conversion: write their quotation marks, “” → 「」 and ‘’ → 『』 (and back for tw2s, hk2s …).", \.punctuation),
        .flag("fold-width", help: "Fold fullwidth ASCII letters and digits to ASCII (CJK punctuation is kept).", \.foldWidth),
        .flag("unescape", help: "Unescape HTML entities (&#21457; &amp;) and \\uXXXX escapes.", \.unescape),
        .flag("fail-on-damage", help: "Exit with status 1 when damage is found (U+FFFD, 锟斤拷, 烫烫烫, ?? in Han text), after writing all output.", \.failOnDamage),
        .choice("invalid", help: "What to do with invalid UTF-8: error (stop, naming the byte offset), replace (U+FFFD), or pass (copy verbatim).", \.invalid),
        .flag("line-buffered", help: "Flush after every line, for interactive pipes. On by default when standard output is a terminal.", \.lineBuffered),
        .flag("line-mode", help: "Record-preserving mode for Hadoop Streaming and Spark's RDD.pipe: each input line gives exactly one output line, flushed at once; invalid UTF-8 becomes U+FFFD instead of stopping the job, and the input is UTF-8 unless --from names another encoding.", \.lineMode),
        .integer("jobs", short: "j", help: "Threads for converting large inputs (default: the number of cores).", \.jobs),
    ] }

    /// The sections of a command that takes these options, after its own first section.
    static func sections<Command>(at path: WritableKeyPath<Command, Self>, before own: [OptionDeclaration<Command>])
        -> [(title: String, options: [OptionDeclaration<Command>])] {
        [(title: "", options: own + declarations.map { $0.lifted(to: path) }),
         (title: "Files and folders", options: BulkOptions.declarations.map { $0.lifted(to: path.appending(path: \.bulk)) })]
    }

    static let positionals = (name: "files", help: "Input files or folders (walked recursively); standard input when none or \"-\".")

    /// More threads than this only costs memory: the work is split per chunk.
    static let maximumJobs = 64

    /// Tells standard error that `path` was left out, and why.
    static func noteSkipped(_ path: String, reason: String) {
        var standardError = StandardError()
        print("hanfix: skipped \(path): \(reason)", to: &standardError)
    }

    static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return path != "-" && stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    func validate() throws(UsageError) {
        if let jobs, !(1...Self.maximumJobs).contains(jobs) {
            throw UsageError("--jobs must be from 1 to \(Self.maximumJobs)")
        }

        try bulk.validate()
    }

    /// The pipeline the options describe.
    func pipeline(conversion: ConversionConfiguration?, concurrency: Int) throws -> TextPipeline {
        // Converting repairs notes only unless asked (--full-repair): mojibake repair reads
        // every character and would double the cost of a conversion.
        let fully = !noRepair && (conversion == nil || fullRepair)
        var normalization: TextNormalizer.Options = fully ? .radicals : []
        if unifyCompatibility { normalization.insert(.compatibilityIdeographs) }
        if foldWidth { normalization.insert(.foldWidth) }
        if unescape { normalization.insert(.unescape) }
        var pipeline = TextPipeline(
            conversion: conversion, annotations: noRepair ? nil : annotations, mojibake: fully && !noMojibake,
            normalization: normalization, invalidUTF8: lineMode && invalid == .error ? .replace : invalid,
            concurrency: concurrency, inputEncoding: lineMode && from == "auto" ? "UTF-8" : from,
            outputEncoding: toEncoding, unmappable: unmappable)
        if punctuation { pipeline.punctuation = conversion.flatMap(PunctuationStyle.init(target:)) }
        pipeline.engine = engine
        pipeline.conversionOptions = ConversionOptions(conservative: conservative)
        pipeline.format = format
        pipeline.markup = markup
        pipeline.userDictionaries = try userDictionaries()
        return pipeline
    }

    var defaultJobs: Int { jobs ?? max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// The --dict files, parsed; a malformed line exits 65 naming the file and line.
    func userDictionaries() throws -> [UserDictionary] {
        try dict.map { path in
            var standardError = StandardError()
            do {
                var bytes: [UInt8] = []
                let reader = try BlockReader(path: path)
                defer { reader.close() }
                let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: BlockReader.blockSize, alignment: 16)
                defer { buffer.deallocate() }
                try reader.forEachBlock(into: buffer) { bytes += $0 }
                return try UserDictionary(tsv: String(decoding: bytes, as: UTF8.self), name: path)
            } catch let error as SystemError {
                print("hanfix: \(error)", to: &standardError)
                throw ExitStatus.missingInput
            } catch {
                print("hanfix: \(error)", to: &standardError)
                throw ExitStatus.invalidInput
            }
        }
    }

    func run(conversion: ConversionConfiguration?) throws {
        if invalid == .pass, let toEncoding, !TextPipeline.isUTF8(toEncoding) {
            throw UsageError("--invalid=pass cannot be combined with --to-encoding: bytes that are not UTF-8 have no character to encode")
        }
        if punctuation && conversion.flatMap(PunctuationStyle.init(target:)) == nil {
            throw UsageError("--punctuation needs a Taiwan or Hong Kong conversion (s2tw, s2twp, s2hk, tw2s, hk2s …)")
        }
        if let mode = bulk.mode {
            return try runBulk(conversion: conversion, mode: mode)
        }
        var files = self.files
        // Files found in folders, as opposed to named: binary ones among them are skipped.
        var walked: Set<String> = []
        if files.contains(where: Self.isDirectory) {
            // Folders print their files' converted contents in order, as cat would.
            do {
                files = try files.flatMap { path in
                    guard Self.isDirectory(path) else { return [path] }
                    let walk = try bulk.walker.files(under: [path])
                    for skipped in walk.skipped where !bulk.quiet { Self.noteSkipped(skipped.path, reason: skipped.reason) }
                    let found = walk.files.map(\.path)
                    walked.formUnion(found)
                    return found
                }
            } catch {
                throw failure(error, exitCode: .missingInput)
            }
        }
        let writer = try opened { try BlockWriter(path: output) }
        let explainWriter = try explain.map { path in try opened { try BlockWriter(path: path == "-" ? nil : path, standardError: path == "-") } }
        let ambiguityWriter = try ambiguities.map { path in
            try opened { try BlockWriter(path: path == "-" ? nil : path, standardError: path == "-") }
        }
        let pipeline = try self.pipeline(conversion: conversion, concurrency: defaultJobs)
        let damage = DamageCount()
        let inputs = files.isEmpty ? ["-"] : files
        // With several inputs, each report line names its file, since offsets count from each
        // file's start.
        func labelled(_ line: String, _ path: String) -> String {
            inputs.count > 1 ? "{\"file\":\(RepairEvent.jsonString(path))," + line.dropFirst() : line
        }
        /// Each input gets a stream of its own, so that each is decoded in its own encoding and
        /// a match never spans two files.
        func makeStream(for path: String, first: Bool) throws -> TextStream {
            do {
                let listening = explainWriter != nil || failOnDamage
                return try (first ? pipeline : pipeline.continuingOutput).makeStream(explain: listening ? { event in
                    if event.isDamage { damage.record(event, in: path) }
                    try? explainWriter?.write(text: labelled(event.jsonLine, path))
                } : nil, ambiguities: ambiguityWriter.map { writer in { try? writer.write(text: labelled($0.jsonLine, path)) } })
            } catch {
                throw failure(error, exitCode: .usage)
            }
        }
        let flushEachLine = lineBuffered || lineMode || (output == nil && writer.isTerminal)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: BlockReader.blockSize, alignment: 16)
        defer { buffer.deallocate() }
        /// On failure: keep what the earlier inputs produced, and their reports.
        func closeAll() {
            try? writer.close()
            try? explainWriter?.close()
            try? ambiguityWriter?.close()
        }
        for (index, path) in inputs.enumerated() {
            var stream = try makeStream(for: path, first: index == 0)
            do {
                let reader: BlockReader
                do {
                    reader = try BlockReader(path: path)
                } catch let error as SystemError {
                    closeAll()
                    throw failure(error, exitCode: .missingInput)
                }
                defer { reader.close() }
                var firstBlock = true
                try reader.forEachBlock(into: buffer) { block in
                    if firstBlock && walked.contains(path)
                        && FileConverter.isBinary(block, isComplete: block.count < buffer.count) {
                        throw SkippedFile(reason: FileConverter.binaryReason)
                    }
                    firstBlock = false
                    if flushEachLine {
                        try Self.processLines(block, stream: &stream, writer: writer)
                    } else {
                        try stream.process(block, writer.write)
                    }
                }
                try stream.finish(writer.write)
            } catch let skipped as SkippedFile {
                if !bulk.quiet { Self.noteSkipped(path, reason: skipped.reason) }
            } catch let error as HanFixError {
                closeAll()
                throw failure(path == "-" ? "\(error)" : "\(path): \(error)", exitCode: .invalidInput)
            } catch let error as SystemError {
                closeAll()
                throw failure(error, exitCode: .ioFailure)
            }
        }
        do {
            try writer.close()
            try explainWriter?.close()
            try ambiguityWriter?.close()
        } catch let error as SystemError {
            closeAll()
            throw failure(error, exitCode: .ioFailure)
        }
        if failOnDamage, let first = damage.first {
            let place = first.path == "-" ? "" : " of \(first.path)"
            throw failure("damage found in \(damage.count) place\(damage.count == 1 ? "" : "s"), the first at byte offset "
                          + "\(first.event.offset)\(place): \(first.event.reason) (see --explain)", exitCode: .failure)
        }
    }

    /// Feeds `block` line by line, flushing after each newline.
    static func processLines(_ block: UnsafeRawBufferPointer, stream: inout TextStream, writer: BlockWriter) throws {
        var lineStart = 0
        for index in block.indices where block[index] == UInt8(ascii: "\n") {
            try stream.process(UnsafeRawBufferPointer(rebasing: block[lineStart...index]), writer.write)
            try writer.flush()
            lineStart = index + 1
        }
        if lineStart < block.count {
            try stream.process(UnsafeRawBufferPointer(rebasing: block[lineStart...]), writer.write)
        }
    }

    private func opened(_ body: () throws -> BlockWriter) throws -> BlockWriter {
        do {
            return try body()
        } catch let error as SystemError {
            throw failure(error, exitCode: .ioFailure)
        }
    }

    private func failure(_ error: any Error, exitCode: ExitStatus) -> ExitStatus {
        failure("\(error)", exitCode: exitCode)
    }

    private func failure(_ message: String, exitCode: ExitStatus) -> ExitStatus {
        var standardError = StandardError()
        print("hanfix: \(message)", to: &standardError)
        return exitCode
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

/// A file found in a folder that is not text: it is left out of the output.
struct SkippedFile: Error {
    let reason: String
}

/// Damage seen by the streams, for --fail-on-damage.
final class DamageCount {
    private(set) var count = 0
    private(set) var first: (event: RepairEvent, path: String)?

    func record(_ event: RepairEvent, in path: String) {
        count += 1
        if first == nil { first = (event, path) }
    }
}

