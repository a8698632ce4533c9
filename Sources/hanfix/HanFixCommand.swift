import ArgumentParser
import Glibc
import HanFix

@main
struct HanFixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hanfix",
        abstract: "Repair Chinese text and convert it between scripts and regional standards, streaming stdin to stdout.",
        discussion: """
            Reads the FILEs (or standard input, also named "-") and writes standard output or \
            -o FILE, in bounded memory. Without -c, hanfix repairs and keeps the script. \
            Conversion matches OpenCC 1.4.2 exactly.

            Examples:
              hanfix -c t2s < in.txt > out.txt        repair, then Traditional to Simplified
              hanfix repair page.txt                  strip pinyin notes: 社區(qū) → 社區
              hanfix -c s2twp a.txt b.txt -o out.txt  Simplified to Taiwan usage, two files
              hanfix -c t2s --explain page.txt        report each change as JSON on stderr
              tail -f log.txt | hanfix -c s2t --line-buffered
              hanfix --list-configs

            Exit codes: 0 success, 64 bad usage, 65 invalid input (e.g. invalid UTF-8 under \
            --invalid=error), 66 an input file cannot be opened, 74 a read or write failed.
            """,
        subcommands: [Convert.self, Repair.self, Detect.self],
        defaultSubcommand: Convert.self
    )

    /// `--explain` may stand alone (report to standard error) or take a file as
    /// `--explain=FILE`; ArgumentParser options need a value, so the bare form is rewritten.
    static func main() {
        let arguments = CommandLine.arguments.dropFirst().map { $0 == "--explain" ? "--explain=-" : $0 }
        main(Array(arguments))
    }
}

/// Converts (after repair) or, without -c, only repairs.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Repair, then convert with -c CONFIG (the default command).")

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
        abstract: "Repair text and keep its script: strip pinyin annotations such as 社區(qū).")

    @OptionGroup var options: PipelineOptions

    func run() throws {
        try options.run(conversion: nil)
    }
}

extension ConversionConfiguration: ExpressibleByArgument {}
extension InvalidUTF8Policy: ExpressibleByArgument {}
extension AnnotationMode: ExpressibleByArgument {}
