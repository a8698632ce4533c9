import ArgumentParser
import Glibc
import HanFix

/// The options every hanfix command shares, and the run loop they drive.
struct PipelineOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "Which pinyin annotations to strip: auto (converter artifacts), strip (every valid reading) or keep.")
    var annotations: AnnotationMode = .auto

    @Flag(help: "Skip repair: convert only.")
    var noRepair = false

    @Option(help: ArgumentHelp(
        "Write one JSON line per change, to standard error (--explain) or to FILE (--explain=FILE). Offsets count bytes of the UTF-8 text repair reads: after --from decoding and --invalid=replace substitution.",
        valueName: "FILE"))
    var explain: String?

    @Option(help: "The input's encoding: UTF-8 (default) or an ICU converter name such as GB18030, GBK, Big5, Big5-HKSCS, UTF-16LE, UTF-16BE.")
    var from = "UTF-8"

    @Option(help: "What to do with invalid UTF-8: error (stop, naming the byte offset), replace (U+FFFD), or pass (copy verbatim).")
    var invalid: InvalidUTF8Policy = .error

    @Flag(help: "Flush after every line, for interactive pipes. On by default when standard output is a terminal.")
    var lineBuffered = false

    @Option(name: [.customShort("j"), .long], help: "Threads for converting large inputs (default: the number of cores).")
    var jobs: Int?

    @Argument(help: "Input files; standard input when none or \"-\".")
    var files: [String] = []

    /// More threads than this only costs memory: the work is split per chunk.
    static let maximumJobs = 64

    func validate() throws {
        if let jobs, !(1...Self.maximumJobs).contains(jobs) {
            throw ValidationError("--jobs must be from 1 to \(Self.maximumJobs)")
        }
    }

    func run(conversion: ConversionConfiguration?) throws {
        let writer = try opened { try BlockWriter(path: output) }
        let explainWriter = try explain.map { path in try opened { try BlockWriter(path: path == "-" ? nil : path, standardError: path == "-") } }
        let pipeline = TextPipeline(
            conversion: conversion, annotations: noRepair ? nil : annotations, invalidUTF8: invalid,
            concurrency: jobs ?? max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))), inputEncoding: from)
        var stream: TextStream
        do {
            stream = try pipeline.makeStream(explain: explainWriter.map { writer in
                { decision in if decision.verdict == .stripped { try? writer.write(text: decision.jsonLine) } }
            })
        } catch {
            throw failure(error, exitCode: .validationFailure)
        }
        let flushEachLine = lineBuffered || (output == nil && writer.isTerminal)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: BlockReader.blockSize, alignment: 16)
        defer { buffer.deallocate() }
        do {
            for path in files.isEmpty ? ["-"] : files {
                let reader: BlockReader
                do {
                    reader = try BlockReader(path: path)
                } catch let error as SystemError {
                    // Keep what the earlier inputs produced.
                    try? writer.close()
                    throw failure(error, exitCode: .missingInput)
                }
                defer { reader.close() }
                try reader.forEachBlock(into: buffer) { block in
                    if flushEachLine {
                        try Self.processLines(block, stream: &stream, writer: writer)
                    } else {
                        try stream.process(block, writer.write)
                    }
                }
            }
            try stream.finish(writer.write)
            try writer.close()
            try explainWriter?.close()
        } catch let error as HanFixError {
            try? writer.close()
            try? explainWriter?.close()
            throw failure(error, exitCode: .invalidInput)
        } catch let error as SystemError {
            try? writer.close()
            throw failure(error, exitCode: .ioFailure)
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

    private func failure(_ error: any Error, exitCode: ExitCode) -> ExitCode {
        var standardError = StandardError()
        print("hanfix: \(error)", to: &standardError)
        return exitCode
    }
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

extension AnnotationDecision {
    /// One line of `--explain` output.
    var jsonLine: String {
        "{\"offset\":\(range.lowerBound),\"original\":\(json(characters + note)),"
            + "\"replacement\":\(json(characters)),\"rule\":\"pinyin-annotation\",\"reason\":\(json(reason))}\n"
    }

    private func json(_ string: String) -> String {
        var escaped = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case _ where scalar.value < 0x20: escaped += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
