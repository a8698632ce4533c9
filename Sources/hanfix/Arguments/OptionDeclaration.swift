/// One option of a command: its names, whether it takes a value, its help, and where the
/// value goes in the command's `Options`.
///
/// Declarations store through key paths, so that a command's options are declared once, as
/// data, and parsing and help are generated from them. hanfix has its own parser instead of
/// swift-argument-parser because that one discovers options by reflection at every launch,
/// which cost 5 ms of a 7 ms start (docs/BENCHMARKS.md, "Start-up").
///
/// ```swift
/// let declarations: [OptionDeclaration<Detect>] = [
///     .flag("json", help: "One JSON object per input.", \.json),
/// ]
/// ```
struct OptionDeclaration<Options> {
    /// The long name, without its dashes: `config` for `--config`.
    let long: String
    /// The one-letter name, used as `-c VALUE` or `-cVALUE`.
    let short: Character?
    /// The placeholder shown in help (`FILE`), or nil for a flag.
    let valueName: String?
    /// The value given when the option appears without one (`--explain` alone, which means
    /// `--explain=-`); a value is then accepted only after `=`.
    let bareValue: String?
    let help: String
    /// Stores a value (a flag gets "") in the options.
    let apply: (inout Options, String) throws(UsageError) -> Void

    var takesValue: Bool { valueName != nil }

    /// `-c, --config <config>`, as help shows it.
    var synopsis: String {
        let names = (short.map { "-\($0), " } ?? "") + "--" + long
        guard let valueName else { return names }
        return bareValue == nil ? "\(names) <\(valueName)>" : "\(names)[=<\(valueName)>]"
    }

    /// The same option for a command whose options hold these options at `path`.
    func lifted<Outer>(to path: WritableKeyPath<Outer, Options>) -> OptionDeclaration<Outer> {
        let apply = self.apply
        return OptionDeclaration<Outer>(long: long, short: short, valueName: valueName, bareValue: bareValue,
                                        help: help) { outer, value throws(UsageError) in
            try apply(&outer[keyPath: path], value)
        }
    }
}

extension OptionDeclaration {
    static func flag(_ long: String, help: String, _ path: WritableKeyPath<Options, Bool>) -> Self {
        Self(long: long, short: nil, valueName: nil, bareValue: nil, help: help) { options, _ in
            options[keyPath: path] = true
        }
    }

    static func value(_ long: String, short: Character? = nil, valueName: String? = nil, bareValue: String? = nil,
                      help: String, _ path: WritableKeyPath<Options, String?>) -> Self {
        Self(long: long, short: short, valueName: valueName ?? long, bareValue: bareValue, help: help) { options, value in
            options[keyPath: path] = value
        }
    }

    static func value(_ long: String, valueName: String? = nil, help: String,
                      _ path: WritableKeyPath<Options, String>) -> Self {
        Self(long: long, short: nil, valueName: valueName ?? long, bareValue: nil, help: help) { options, value in
            options[keyPath: path] = value
        }
    }

    /// A repeatable option: each occurrence appends its value.
    static func values(_ long: String, valueName: String, help: String,
                       _ path: WritableKeyPath<Options, [String]>) -> Self {
        Self(long: long, short: nil, valueName: valueName, bareValue: nil, help: help) { options, value in
            options[keyPath: path].append(value)
        }
    }

    static func integer(_ long: String, short: Character? = nil, valueName: String? = nil, help: String,
                        _ path: WritableKeyPath<Options, Int?>) -> Self {
        Self(long: long, short: short, valueName: valueName ?? long, bareValue: nil, help: help) { options, value throws(UsageError) in
            guard let number = Int(value) else {
                throw UsageError("--\(long) needs a whole number, not '\(value)'")
            }
            options[keyPath: path] = number
        }
    }

    /// An option whose value is one of an enumeration's raw values.
    static func choice<Choice: CaseIterable & RawRepresentable<String>>(
        _ long: String, short: Character? = nil, help: String, _ path: WritableKeyPath<Options, Choice>
    ) -> Self {
        Self(long: long, short: short, valueName: long, bareValue: nil, help: help) { options, value throws(UsageError) in
            options[keyPath: path] = try Self.parse(value, as: Choice.self, for: long)
        }
    }

    static func choice<Choice: CaseIterable & RawRepresentable<String>>(
        _ long: String, short: Character? = nil, help: String, _ path: WritableKeyPath<Options, Choice?>
    ) -> Self {
        Self(long: long, short: short, valueName: long, bareValue: nil, help: help) { options, value throws(UsageError) in
            options[keyPath: path] = try Self.parse(value, as: Choice.self, for: long)
        }
    }

    private static func parse<Choice: CaseIterable & RawRepresentable<String>>(
        _ value: String, as: Choice.Type, for long: String
    ) throws(UsageError) -> Choice {
        guard let choice = Choice(rawValue: value) else {
            let names = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("'\(value)' is not a value of --\(long); use one of: \(names)")
        }
        return choice
    }
}
