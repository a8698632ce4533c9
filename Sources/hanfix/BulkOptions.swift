import Glibc
import HanFix

/// Options for converting many files and whole folders.
struct BulkOptions {
    var inPlace = false
    var outputDir: String?
    var check = false
    var diff = false
    var json = false
    var include: [String] = []
    var exclude: [String] = []
    var hidden = false
    var preserveTimes = false
    var backup: String?
    var rename = false
    var quiet = false

    static var declarations: [OptionDeclaration<Self>] { [
        .flag("in-place", help: "Replace each file with its conversion, atomically (a temporary file in the same folder, fsync, rename); unchanged files are not rewritten.", \.inPlace),
        .value("output-dir", valueName: "DIR", help: "Write each converted file into DIR, mirroring the tree.", \.outputDir),
        .flag("check", help: "Write nothing; list the files that would change and exit 1 if any would.", \.check),
        .flag("diff", help: "Write nothing; print a unified diff of each file that would change (exit 1 if any would).", \.diff),
        .flag("json", help: "With --in-place, --output-dir or --check: one JSON object per file on standard output.", \.json),
        .values("include", valueName: "GLOB", help: "Only files matching GLOB (a name, or a path relative to the folder given when it contains /); repeatable.", \.include),
        .values("exclude", valueName: "GLOB", help: "Skip files and folders matching GLOB; repeatable.", \.exclude),
        .flag("hidden", help: "Also enter hidden folders and convert hidden files.", \.hidden),
        .flag("preserve-times", help: "With --in-place: keep each file's access and modification times.", \.preserveTimes),
        .value("backup", valueName: "SUFFIX", help: "With --in-place: keep the old file as FILE+SUFFIX.", \.backup),
        .flag("rename", help: "Also convert file and folder names (with -c): renamed in place, converted in --output-dir, listed by --check and --diff. A name that would collide is reported and kept.", \.rename),
        .flag("quiet", help: "No summary line, and no notice of skipped files, on standard error.", \.quiet),
    ] }

    /// The write mode asked for, if any.
    var mode: FileConverter.Mode? {
        if inPlace { return .inPlace }
        if outputDir != nil { return .copy(to: "") }
        if check || diff { return .check }
        return nil
    }

    func validate() throws(UsageError) {
        if [inPlace, outputDir != nil, check, diff].filter({ $0 }).count > 1 {
            throw UsageError("--in-place, --output-dir, --check and --diff exclude each other")
        }
        if let backup, backup.isEmpty || !inPlace {
            throw UsageError(backup.isEmpty ? "--backup needs a non-empty suffix" : "--backup works with --in-place only")
        }
        if mode == nil && (json || preserveTimes || backup != nil) {
            throw UsageError("--json, --preserve-times and --backup need --in-place, --output-dir, --check or --diff")
        }
    }

    var walker: FileTreeWalker {
        FileTreeWalker(includeGlobs: include, excludeGlobs: exclude, includeHidden: hidden,
                       removesLeftovers: inPlace || outputDir != nil)
    }
}
