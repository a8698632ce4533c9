import Foundation
import Testing

/// hanfix parses its own command line (Sources/hanfix/Arguments): the accepted forms, the
/// usage errors and the help.
@Suite("hanfix argument parsing")
struct ArgumentParsingTests {
    @Test("Values attach as -cVALUE, --name=VALUE, or follow as the next argument")
    func valueForms() throws {
        for arguments in [["-cs2t"], ["-c", "s2t"], ["--config=s2t"], ["--config", "s2t"]] {
            let result = try HanFixProcess.run(arguments, input: Data("发展\n".utf8))
            #expect(result.status == 0 && result.outputText == "發展\n", "\(arguments)")
        }
    }

    @Test("-- ends the options: what follows is a file name, even when it starts with a dash")
    func endOfOptions() throws {
        let result = try HanFixProcess.run(["-c", "s2t", "--", "--no-such-file"])
        #expect(result.status == 66)
        #expect(result.standardError.contains("--no-such-file"))
    }

    @Test("--explain alone reports to standard error; --explain=FILE to a file; a following word is an input")
    func optionalValue() throws {
        let bare = try HanFixProcess.run(["repair", "--explain"], input: Data("发(fā)展\n".utf8))
        #expect(bare.status == 0 && bare.outputText == "发展\n")
        #expect(bare.standardError.contains("\"offset\""))
        let followed = try HanFixProcess.run(["repair", "--explain", "/nonexistent/input.txt"])
        #expect(followed.status == 66 && followed.standardError.contains("/nonexistent/input.txt"))
    }

    @Test("Usage errors exit 64 and say what is wrong")
    func usageErrors() throws {
        let cases: [([String], String)] = [
            (["--no-such-option"], "unknown option '--no-such-option'"),
            (["--engin", "opencc"], "did you mean '--engine'?"),
            (["-x"], "unknown option '-x'"),
            (["-c"], "needs a value"),
            (["--engine", "fast"], "use one of: hanfix, opencc"),
            (["-j", "two"], "--jobs needs a whole number, not 'two'"),
            (["--no-repair=yes"], "--no-repair takes no value"),
            (["--backup", "--in-place", "x"], "--backup <SUFFIX> needs a value"),
        ]
        for (arguments, message) in cases {
            let result = try HanFixProcess.run(arguments, input: Data())
            #expect(result.status == 64, "\(arguments)")
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("USAGE: hanfix"), "\(arguments)")
        }
    }

    @Test("A value option given twice keeps the last; a repeatable one keeps all")
    func repetition() throws {
        let result = try HanFixProcess.run(["-c", "t2s", "-c", "s2t"], input: Data("发展\n".utf8))
        #expect(result.status == 0 && result.outputText == "發展\n")
    }

    @Test("--help, -h and help SUBCOMMAND print each command's options")
    func help() throws {
        let top = try HanFixProcess.run(["--help"])
        #expect(top.status == 0)
        for text in ["USAGE: hanfix [convert]", "-c, --config <config>", "--explain[=<FILE>]", "FILES AND FOLDERS:",
                     "--in-place", "SUBCOMMANDS:", "detect"] {
            #expect(top.outputText.contains(text), "\(text)")
        }
        let unknown = try HanFixProcess.run(["help", "convertt"])
        #expect(unknown.status == 64 && unknown.standardError.contains("no subcommand 'convertt'"))
        let detect = try HanFixProcess.run(["help", "detect"])
        #expect(detect.status == 0 && detect.outputText.contains("USAGE: hanfix detect") && detect.outputText.contains("--json"))
        let repair = try HanFixProcess.run(["repair", "-h"])
        #expect(repair.status == 0 && repair.outputText.contains("USAGE: hanfix repair") && !repair.outputText.contains("--config"))
        // Every help line fits in 80 columns, except a word longer than a line.
        for line in top.outputText.split(separator: "\n") where line.contains(" ") {
            #expect(line.count <= 80, "\(line)")
        }
    }
}
