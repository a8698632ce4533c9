import ArgumentParser
import Glibc
import HanFix

@main
struct HanFixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hanfix",
        abstract: "Convert Chinese text between scripts and regional standards, streaming stdin to stdout.",
        discussion: """
            Reads the FILEs (or standard input, also named "-") and writes the result to standard \
            output or to -o FILE, in bounded memory. Conversion matches OpenCC 1.4.2 exactly.

            Examples:
              hanfix -c t2s < in.txt > out.txt        Traditional to Simplified
              hanfix -c s2twp a.txt b.txt -o out.txt  Simplified to Taiwan usage, two files
              tail -f log.txt | hanfix -c s2t --line-buffered
              hanfix --list-configs

            Exit codes: 0 success, 64 bad usage, 65 invalid input (e.g. invalid UTF-8 under \
            --invalid=error), 66 an input file cannot be opened, 74 a read or write failed.
            """
    )

    @Option(name: [.customShort("c"), .long], help: "The conversion, e.g. s2t or t2s (see --list-configs).")
    var config: ConversionConfiguration?

    @Option(name: [.customShort("o"), .long], help: "Write to this file instead of standard output.")
    var output: String?

    @Option(help: "What to do with invalid UTF-8: error (stop, naming the byte offset), replace (U+FFFD), or pass (copy verbatim).")
    var invalid: InvalidUTF8Policy = .error

    @Option(name: [.customShort("j"), .long], help: "Threads for converting large inputs (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "Flush after every line, for interactive pipes. On by default when standard output is a terminal.")
    var lineBuffered = false

    @Flag(help: "List the conversions and exit.")
    var listConfigs = false

    @Argument(help: "Input files; standard input when none or \"-\".")
    var files: [String] = []

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        if listConfigs {
            for configuration in ConversionConfiguration.allCases {
                let name = configuration.rawValue
                print(name + String(repeating: " ", count: 8 - name.count) + configuration.description)
            }
            return
        }
        let writer: BlockWriter
        do {
            writer = try BlockWriter(path: output)
        } catch let error as SystemError {
            throw failure(error, exitCode: .ioFailure)
        }
        let concurrency = jobs ?? max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var stream = Self.makeStream(config: config, invalid: invalid, concurrency: concurrency)
        let flushEachLine = lineBuffered || (output == nil && writer.isTerminal)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: BlockReader.blockSize, alignment: 16)
        defer { buffer.deallocate() }
        do {
            for path in files.isEmpty ? ["-"] : files {
                let reader: BlockReader
                do {
                    reader = try BlockReader(path: path)
                } catch let error as SystemError {
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
        } catch let error as HanFixError {
            try? writer.close()
            throw failure(error, exitCode: .invalidInput)
        } catch let error as SystemError {
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

    static func makeStream(config: ConversionConfiguration?, invalid: InvalidUTF8Policy,
                           concurrency: Int) -> TextStream {
        if let config {
            return Converter(config).makeStream(invalidUTF8: invalid, concurrency: concurrency)
        }
        return TextStream.validating(invalidUTF8: invalid)
    }

    private func failure(_ error: any Error, exitCode: ExitCode) -> ExitCode {
        var standardError = StandardError()
        print("hanfix: \(error)", to: &standardError)
        return exitCode
    }
}

extension ConversionConfiguration: ExpressibleByArgument {}
extension InvalidUTF8Policy: ExpressibleByArgument {}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { _ = Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
