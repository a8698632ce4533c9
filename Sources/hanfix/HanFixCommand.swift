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
    /// Each subcommand once: its name, its one-line abstract, how to run it, and its help.
    private static var table: [(name: String, abstract: String, main: ([String]) throws -> Void, help: () -> String)] { [
        ("convert", Convert.abstract, { try Convert.main($0) }, { Convert.description.help }),
        ("repair", Repair.abstract, { try Repair.main($0) }, { Repair.description.help }),
        ("detect", Detect.abstract, { try Detect.main($0) }, { Detect.description.help }),
    ] }

    /// The subcommands and what they do, for the top-level help.
    static var subcommands: [(name: String, abstract: String)] { table.map { ($0.name, $0.abstract) } }

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
        if let subcommand = table.first(where: { $0.name == arguments.first }) {
            try subcommand.main(rest)
            return
        }
        switch arguments.first {
        case "help":
            guard let name = rest.first else {
                print(Convert.topLevelDescription.help, terminator: "")
                return
            }
            guard let subcommand = table.first(where: { $0.name == name }) else {
                let names = table.map(\.name)
                var standardError = StandardError()
                print("hanfix: no subcommand '\(name)'; use \(names.dropLast().joined(separator: ", ")) or \(names.last!)",
                      to: &standardError)
                throw ExitStatus.usage
            }
            print(subcommand.help(), terminator: "")
        default: try Convert.main(arguments, description: Convert.topLevelDescription)
        }
    }
}

/// A subcommand made of the shared ``PipelineOptions`` (convert, repair).
protocol PipelineCommand: Subcommand {
    var options: PipelineOptions { get set }
}

extension PipelineCommand {
    func validate() throws(UsageError) {
        try options.validate()
    }

    /// The command's interface: its `own` options, then the shared ones, then the files.
    static func described(name: String, abstract: String, discussion: String,
                          own: [OptionDeclaration<Self>]) -> CommandDescription<Self> {
        CommandDescription(
            name: name, abstract: abstract, discussion: discussion,
            sections: PipelineOptions.sections(at: \.options, before: own),
            positionals: (PipelineOptions.positionals.name, PipelineOptions.positionals.help, \.options.files))
    }
}

/// Converts (after repair) or, without -c, only repairs.
struct Convert: PipelineCommand {
    var config: ConversionConfiguration?
    var listConfigs = false
    var options = PipelineOptions()

    private static var ownOptions: [OptionDeclaration<Convert>] { [
        .choice("config", short: "c", help: "The conversion, e.g. s2t or t2s (see --list-configs).", \.config),
        .flag("list-configs", help: "List the conversions and exit.", \.listConfigs),
    ] }

    static let abstract = "Strip pinyin notes (or, with --full-repair, repair fully), then convert with -c CONFIG (the default command)."

    static var description: CommandDescription<Convert> {
        described(name: "hanfix convert", abstract: abstract, discussion: "Without -c, only repairs, as hanfix repair does.",
                  own: ownOptions)
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
                """,
            own: ownOptions)
        topLevel.subcommands = HanFixCommand.subcommands
        return topLevel
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
struct Repair: PipelineCommand {
    var options = PipelineOptions()

    static let abstract = "Repair text and keep its script: mojibake (鍙戝睍 → 发展), radicals, pinyin notes (社區(qū) → 社區)."

    static var description: CommandDescription<Repair> {
        described(name: "hanfix repair", abstract: abstract, discussion: "The same options as hanfix convert, without -c.",
                  own: [])
    }

    func run() throws {
        try options.run(conversion: nil)
    }
}
