import ArgumentParser
import Glibc
import HanFix

@main
struct HanFixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hanfix",
        abstract: "Decode, repair and convert Chinese text between scripts and regional standards, streaming stdin to stdout.",
        discussion: """
            Reads the FILEs (or standard input, also named "-") and writes standard output or \
            -o FILE, in bounded memory. Without -c, hanfix repairs (mojibake, radicals, pinyin \
            notes) and keeps the script; with -c it strips pinyin notes and converts \
            (--full-repair: the whole repair first). Conversion matches OpenCC 1.4.2 exactly.

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
        subcommands: [Convert.self, Repair.self, Detect.self],
        defaultSubcommand: Convert.self
    )

    /// `--explain` and `--ambiguities` may stand alone (report to standard error) or take a
    /// file as `--explain=FILE`; ArgumentParser options need a value, so the bare form is
    /// rewritten.
    static func main() {
        let arguments = CommandLine.arguments.dropFirst().map {
            $0 == "--explain" || $0 == "--ambiguities" ? $0 + "=-" : $0
        }
        main(Array(arguments))
    }
}

/// Converts (after repair) or, without -c, only repairs.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Strip pinyin notes (or, with --full-repair, repair fully), then convert with -c CONFIG (the default command).")

    @Option(name: [.customShort("c"), .long], help: "The conversion, e.g. s2t or t2s (see --list-configs).")
    var config: ConversionConfiguration?

    @Flag(help: "List the conversions and exit.")
    var listConfigs = false

    @OptionGroup var options: PipelineOptions

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
struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Repair text and keep its script: mojibake (鍙戝睍 → 发展), radicals, pinyin notes (社區(qū) → 社區).")

    @OptionGroup var options: PipelineOptions

    func run() throws {
        try options.run(conversion: nil)
    }
}

extension ConversionConfiguration: ExpressibleByArgument {}
extension ConversionEngine: ExpressibleByArgument {}
extension InvalidUTF8Policy: ExpressibleByArgument {}
extension TextFormat: ExpressibleByArgument {}
extension AnnotationMode: ExpressibleByArgument {}
