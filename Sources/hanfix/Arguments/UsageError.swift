/// A command line hanfix cannot run: an unknown option, a missing or invalid value, or
/// options that exclude each other. hanfix prints it with the usage line and exits 64
/// (EX_USAGE).
struct UsageError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// A run that ends with a status other than 0, its message already printed.
///
/// The codes come from sysexits.h, so that scripts can tell failures apart.
struct ExitStatus: Error {
    let code: Int32

    init(_ code: Int32) {
        self.code = code
    }

    /// Damage found under --fail-on-damage, or files that would change under --check.
    static let failure = ExitStatus(1)
    /// The input was not what the options promised (invalid UTF-8, …): EX_DATAERR.
    static let invalidInput = ExitStatus(65)
    /// An input file does not exist or cannot be opened: EX_NOINPUT.
    static let missingInput = ExitStatus(66)
    /// Reading or writing failed: EX_IOERR.
    static let ioFailure = ExitStatus(74)
    /// A bad command line: EX_USAGE.
    static let usage = ExitStatus(64)
}
