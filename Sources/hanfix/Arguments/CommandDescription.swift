/// A command's interface, as data: what it is for, its options in titled sections, and
/// where its positional arguments go. It parses a command line into `Options` and writes
/// the command's help.
struct CommandDescription<Options> {
    /// As the user types it: `hanfix detect`.
    let name: String
    let abstract: String
    /// Paragraphs for --help; lines that start with a space are kept as they are.
    let discussion: String
    /// The options, in help order; the first section is untitled.
    let sections: [(title: String, options: [OptionDeclaration<Options>])]
    /// The positional arguments: their name and help, and where they are collected.
    let positionals: (name: String, help: String, path: WritableKeyPath<Options, [String]>)
    /// For the top-level help only: the subcommands and what they do.
    var subcommands: [(name: String, abstract: String)] = []

    /// What a command line asked for.
    enum Request {
        case run
        case help
    }

    /// Parses `arguments` into `options`.
    ///
    /// Accepted forms: `--name value`, `--name=value`, `-c value`, `-cvalue`; a value that
    /// starts with a dash (other than `-` alone) must be attached. `--` ends the options, and
    /// `-` alone is a positional argument (standard input). A repeated option
    /// keeps its last value, or collects all of them when it is repeatable.
    /// Complexity: O(n) in the number of arguments.
    func parse(_ arguments: [String], into options: inout Options) throws(UsageError) -> Request {
        let declarations = sections.flatMap(\.options)
        var index = 0
        var positionalOnly = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if positionalOnly || argument == "-" || !argument.hasPrefix("-") {
                options[keyPath: positionals.path].append(argument)
                continue
            }
            if argument == "--" {
                positionalOnly = true
                continue
            }
            if argument == "-h" || argument == "--help" { return .help }
            let declaration: OptionDeclaration<Options>
            var attached: String?
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                let name = body.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0]
                guard let found = declarations.first(where: { $0.long == name }) else {
                    throw UsageError("unknown option '--\(name)'" + suggestion(for: String(name), among: declarations))
                }
                declaration = found
                if name.count < body.count { attached = String(body.dropFirst(name.count + 1)) }
            } else {
                let letter = argument.dropFirst().first!
                guard let found = declarations.first(where: { $0.short == letter }) else {
                    throw UsageError("unknown option '-\(letter)'")
                }
                declaration = found
                if argument.count > 2 { attached = String(argument.dropFirst(2)) }
            }
            guard declaration.takesValue else {
                if attached != nil { throw UsageError("--\(declaration.long) takes no value") }
                try declaration.apply(&options, "")
                continue
            }
            if let attached {
                try declaration.apply(&options, attached)
            } else if let bareValue = declaration.bareValue {
                try declaration.apply(&options, bareValue)
            } else if index < arguments.count && !(arguments[index].hasPrefix("-") && arguments[index] != "-") {
                try declaration.apply(&options, arguments[index])
                index += 1
            } else {
                // A value that starts with a dash must be attached: --name=-value.
                throw UsageError("\(declaration.synopsis) needs a value")
            }
        }
        return .run
    }

    /// " (did you mean '--jobs'?)" when one long name is within two edits of `name`.
    private func suggestion(for name: String, among declarations: [OptionDeclaration<Options>]) -> String {
        let closest = declarations.map { ($0.long, Self.editDistance(name, $0.long)) }.min { $0.1 < $1.1 }
        guard let closest, closest.1 <= 2 else { return "" }
        return " (did you mean '--\(closest.0)'?)"
    }

    /// Levenshtein distance, for suggestions.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The one-line usage.
    var usage: String {
        let command = subcommands.isEmpty ? name : "\(name) [\(subcommands[0].name)]"
        return "USAGE: \(command) [<options>] [<\(positionals.name)> ...]"
    }

    /// The full --help text, wrapped to 80 columns.
    var help: String {
        var text = "OVERVIEW: " + HelpText.wrap(abstract, width: 80, indent: 0, firstIndent: 10).dropFirst(10) + "\n\n"
        text += HelpText.paragraphs(discussion, width: 80) + "\n"
        text += usage + "\n\n"
        text += "ARGUMENTS:\n" + HelpText.entry("<\(positionals.name)>", positionals.help) + "\n"
        for (index, section) in sections.enumerated() {
            text += index == 0 ? "OPTIONS:\n" : "\(section.title.uppercased()):\n"
            for declaration in section.options {
                text += HelpText.entry(declaration.synopsis, declaration.help)
            }
            if index == 0 { text += HelpText.entry("-h, --help", "Show help information.") }
            text += "\n"
        }
        if !subcommands.isEmpty {
            text += "SUBCOMMANDS:\n"
            for (index, subcommand) in subcommands.enumerated() {
                text += HelpText.entry(subcommand.name + (index == 0 ? " (default)" : ""), subcommand.abstract)
            }
            text += "\n  See '\(name) help <subcommand>' for detailed help.\n"
        }
        return text
    }
}

/// Plain-text layout for help: paragraphs wrapped at a width, and two-column entries.
enum HelpText {
    /// Where an entry's help text starts.
    static let helpColumn = 26

    /// `text`'s words in lines of at most `width` columns (longer words stand alone), the
    /// first line indented by `firstIndent` and the others by `indent`.
    static func wrap(_ text: String, width: Int, indent: Int, firstIndent: Int) -> String {
        var lines: [String] = []
        var line = String(repeating: " ", count: firstIndent)
        var lineIsEmpty = true
        for word in text.split(separator: " ") {
            if !lineIsEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: indent)
                lineIsEmpty = true
            }
            line += (lineIsEmpty ? "" : " ") + word
            lineIsEmpty = false
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    /// Blank-line-separated paragraphs, each wrapped; lines that start with a space are
    /// examples, kept as written.
    static func paragraphs(_ text: String, width: Int) -> String {
        text.split(separator: "\n\n", omittingEmptySubsequences: false).map { paragraph in
            let lines = paragraph.split(separator: "\n")
            if lines.dropFirst().contains(where: { $0.hasPrefix(" ") }) || lines.first?.hasPrefix(" ") == true {
                return paragraph + "\n"
            }
            return wrap(lines.joined(separator: " "), width: width, indent: 0, firstIndent: 0) + "\n"
        }.joined(separator: "\n")
    }

    /// `  synopsis    help…`, the help wrapped in its column.
    static func entry(_ synopsis: String, _ help: String) -> String {
        let head = "  " + synopsis
        let wrapped = wrap(help, width: 80, indent: helpColumn, firstIndent: helpColumn)
        if head.count + 2 <= helpColumn {
            return head + wrapped.dropFirst(head.count) + "\n"
        }
        return head + "\n" + wrapped + "\n"
    }
}
