import ArgumentParser
import Glibc
import HanFix

/// Options for converting many files and whole folders.
struct BulkOptions: ParsableArguments {
    @Flag(help: "Replace each file with its conversion, atomically (a temporary file in the same folder, fsync, rename); unchanged files are not rewritten.")
    var inPlace = false

    @Option(help: ArgumentHelp("Write each converted file into DIR, mirroring the tree.", valueName: "DIR"))
    var outputDir: String?

    @Flag(help: "Write nothing; list the files that would change and exit 1 if any would.")
    var check = false

    @Flag(help: "Write nothing; print a unified diff of each file that would change (exit 1 if any would).")
    var diff = false

    @Flag(help: "With --in-place, --output-dir or --check: one JSON object per file on standard output.")
    var json = false

    @Option(help: ArgumentHelp("Only files matching GLOB (a name, or a path relative to the folder given when it contains /); repeatable.", valueName: "GLOB"))
    var include: [String] = []

    @Option(help: ArgumentHelp("Skip files and folders matching GLOB; repeatable.", valueName: "GLOB"))
    var exclude: [String] = []

    @Flag(help: "Also enter hidden folders and convert hidden files.")
    var hidden = false

    @Flag(help: "With --in-place: keep each file's access and modification times.")
    var preserveTimes = false

    @Option(help: ArgumentHelp("With --in-place: keep the old file as FILE+SUFFIX.", valueName: "SUFFIX"))
    var backup: String?

    @Flag(help: "Also convert file and folder names (with -c): renamed in place, converted in --output-dir, listed by --check and --diff. A name that would collide is reported and kept.")
    var rename = false

    @Flag(help: "No summary line on standard error.")
    var quiet = false

    /// The write mode asked for, if any.
    var mode: FileConverter.Mode? {
        if inPlace { return .inPlace }
        if outputDir != nil { return .copy(to: "") }
        if check || diff { return .check }
        return nil
    }

    func validate() throws {
        if [inPlace, outputDir != nil, check, diff].filter({ $0 }).count > 1 {
            throw ValidationError("--in-place, --output-dir, --check and --diff exclude each other")
        }
        if let backup, backup.isEmpty || !inPlace {
            throw ValidationError(backup.isEmpty ? "--backup needs a non-empty suffix" : "--backup works with --in-place only")
        }
        if mode == nil && (json || preserveTimes || backup != nil) {
            throw ValidationError("--json, --preserve-times and --backup need --in-place, --output-dir, --check or --diff")
        }
    }

    var walker: FileTreeWalker {
        FileTreeWalker(includeGlobs: include, excludeGlobs: exclude, includeHidden: hidden,
                       removesLeftovers: inPlace || outputDir != nil)
    }
}
