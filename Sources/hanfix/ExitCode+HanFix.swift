import ArgumentParser

/// hanfix's exit codes, from sysexits.h so that scripts can tell failures apart.
extension ExitCode {
    /// The input was not what the options promised (invalid UTF-8, …): EX_DATAERR.
    static let invalidInput = ExitCode(65)
    /// An input file does not exist or cannot be opened: EX_NOINPUT.
    static let missingInput = ExitCode(66)
    /// Reading or writing failed: EX_IOERR.
    static let ioFailure = ExitCode(74)
}
