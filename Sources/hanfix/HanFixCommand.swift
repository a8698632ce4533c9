import Glibc
import HanFix

/// A hanfix command: its interface as data, and what it does.
protocol Subcommand {
    /// What the command does, in a line: for its help and the list of subcommands.
    static var abstract: String { get }
    static var description: CommandDescription<Self> { get }
    init()
    /// Rejects option combinations that cannot run, before anything is read or written.
    func validate() throws(UsageError)
    func run() throws
}

extension Subcommand {
    func validate() throws(UsageError) {}

    /// Parses `arguments` and runs; `--help` prints `description`'s help instead.
    static func main(_ arguments: [String], description: CommandDescription<Self> = Self.description) throws {
        var command = Self()
        do {
            guard try description.parse(arguments, into: &command) == .run else {
                print(description.help, terminator: "")
                return
            }
            try command.validate()
        } catch {
            var standardError = StandardError()
            let helpCommand = description.name
            print("hanfix: \(error)\n\(description.usage)\n  See '\(helpCommand) --help'.", to: &standardError)
            throw ExitStatus.usage
        }
        try command.run()
    }
}

/// hanfix's entry point: picks the subcommand (convert unless the first argument names
/// another), runs it, and exits with the status its failure carries.
@main
enum HanFixCommand {
    static var subcommands: [(name: String, abstract: String)] { [
        ("convert", Convert.abstract),
        ("repair", Repair.abstract),
        ("detect", Detect.abstract),
    ] }

    static func main() {
        do {
            try run(Array(CommandLine.arguments.dropFirst()))
            exit(0)
        } catch let status as ExitStatus {
            exit(status.code)
        } catch let error as UsageError {
            // Found once the command runs: options that cannot go with the inputs given.
            var standardError = StandardError()
            print("hanfix: \(error)", to: &standardError)
            exit(ExitStatus.usage.code)
        } catch {
            var standardError = StandardError()
            print("hanfix: \(error)", to: &standardError)
            exit(ExitStatus.ioFailure.code)
        }
    }

    static func run(_ arguments: [String]) throws {
        let rest = Array(arguments.dropFirst())
        switch arguments.first {
        case "convert": try Convert.main(rest)
        case "repair": try Repair.main(rest)
        case "detect": try Detect.main(rest)
        case "help":
            switch rest.first {
            case "convert": print(Convert.description.help, terminator: "")
            case "repair": print(Repair.description.help, terminator: "")
            case "detect": print(Detect.description.help, terminator: "")
            case nil: print(Convert.topLevelDescription.help, terminator: "")
            case let other?:
                var standardError = StandardError()
                print("hanfix: no subcommand '\(other)'; use convert, repair or detect", to: &standardError)
                throw ExitStatus.usage
            }
        default: try Convert.main(arguments, description: Convert.topLevelDescription)
        }
    }
}

/// Converts (after repair) or, without -c, only repairs.
struct Convert: Subcommand {
    var config: ConversionConfiguration?
    var listConfigs = false
    var options = PipelineOptions()

    private static var ownOptions: [OptionDeclaration<Convert>] { [
        .choice("config", short: "c", help: "The conversion, e.g. s2t or t2s (see --list-configs).", \.config),
        .flag("list-configs", help: "List the conversions and exit.", \.listConfigs),
    ] }

    static let abstract = "Strip pinyin notes (or, with --full-repair, repair fully), then convert with -c CONFIG (the default command)."

    static var description: CommandDescription<Convert> {
        described(name: "hanfix convert", abstract: abstract, discussion: "Without -c, only repairs, as hanfix repair does.")
    }

    /// Convert's interface under a name: `hanfix convert`, or `hanfix` itself. Built on each
    /// run, so kept to what parsing needs (no other command's description).
    private static func described(name: String, abstract: String, discussion: String) -> CommandDescription<Convert> {
        CommandDescription(
            name: name, abstract: abstract, discussion: discussion,
            sections: PipelineOptions.sections(at: \.options, before: ownOptions),
            positionals: (PipelineOptions.positionals.name, PipelineOptions.positionals.help, \.options.files))
    }

    /// `hanfix` with no subcommand: convert, described as the whole tool.
    static var topLevelDescription: CommandDescription<Convert> {
        var topLevel = described(
            name: "hanfix",
            abstract: "Decode, repair and convert Chinese text between scripts and regional standards, streaming stdin to stdout.",
            discussion: """
                Reads the FILEs (or standard input, also named "-") and writes standard output or \
                -o FILE, in bounded memory. Without -c, hanfix repairs (mojibake, radicals, pinyin \
                notes) and keeps the script; with -c it strips pinyin notes and converts \
                (--full-repair: the whole repair first). The default engine improves on OpenCC's \
                segmentation; --engine opencc gives OpenCC 1.4.2's output exactly.

                Examples:
                  hanfix -c t2s < in.txt > out.txt       strip notes, convert to Simplified
                  hanfix repair page.txt                 mojibake, radicals, 社區(qū) → 社區
                  hanfix -c s2twp a.txt b.txt -o out.txt two files, Taiwan usage
                  hanfix -c t2s --explain page.txt       each change as JSON on stderr
                  hanfix -c t2s --full-repair page.txt   the whole repair, then convert
                  hanfix detect --json *.txt             encoding, script, damage
                  hanfix -c s2t --to-encoding Big5 a.txt write Big5
                  hanfix -c s2t --in-place docs/         a whole tree, atomically
                  tail -f log.txt | hanfix -c s2t --line-buffered
                  hanfix --list-configs

                The input's encoding is detected unless --from names it.

                Exit codes: 0 success; 1 damage found under --fail-on-damage (all output \
                written), or a file would change under --check or --diff; 64 bad usage (also an \
                unknown encoding name, or --invalid=pass with --to-encoding); 65 invalid input \
                (invalid UTF-8 under --invalid=error, bytes the input encoding does not define, \
                a character --to-encoding cannot hold, a malformed --dict); 66 an input file \
                cannot be opened; 74 a read or write failed, or a file failed in a bulk run.
                """)
        topLevel.subcommands = HanFixCommand.subcommands
        return topLevel
    }

    func validate() throws(UsageError) {
        try options.validate()
    }

    func run() throws {
        if listConfigs {
            for configuration in ConversionConfiguration.allCases {
                let name = configuration.rawValue
                print(name + String(repeating: " ", count: 8 - name.count) + configuration.description)
            }
            return
        }
        try options.run(conversion: config)
    }
}

/// Repairs and keeps the script.
struct Repair: Subcommand {
    var options = PipelineOptions()

    static let abstract = "Repair text and keep its script: mojibake (鍙戝睍 → 发展), radicals, pinyin notes (社區(qū) → 社區)."

    static var description: CommandDescription<Repair> {
        CommandDescription(
            name: "hanfix repair", abstract: abstract, discussion: "The same options as hanfix convert, without -c.",
            sections: PipelineOptions.sections(at: \.options, before: []),
            positionals: (PipelineOptions.positionals.name, PipelineOptions.positionals.help, \.options.files))
    }

    func validate() throws(UsageError) {
        try options.validate()
    }

    func run() throws {
        try options.run(conversion: nil)
    }
}
