import HanFix

/// `hanfix detect`: what each input is, and what repair would do to it.
struct Detect: Subcommand {
    var json = false
    var files: [String] = []

    static let abstract = "Report each input's encoding, script and damage, without changing it."

    static var description: CommandDescription<Detect> {
        CommandDescription(
            name: "hanfix detect",
            abstract: abstract,
            discussion: """
                For each FILE (or standard input): the encoding and the detector's confidence, the \
                script (Hans, Hant, mixed or unknown, with a TW or HK hint for Traditional text), \
                and how many places repair would mend as mojibake or annotations, and how many \
                hold irreversible damage.

                An ill-formed byte counts as damage (it is read as U+FFFD). Exit status: 0; 65 when \
                an input cannot be decoded at all, 66 when one cannot be opened. The other inputs \
                are still reported.
                """,
            sections: [(title: "", options: [.flag("json", help: "One JSON object per input.", \.json)])],
            positionals: (name: "files", help: "Input files; standard input when none or \"-\".", path: \.files))
    }

    func run() throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: BlockReader.blockSize, alignment: 16)
        defer { buffer.deallocate() }
        // The worst failure decides the exit status; the other inputs are still reported.
        var status: Int32 = 0
        for path in files.isEmpty ? ["-"] : files {
            var standardError = StandardError()
            do {
                var inspector = try TextInspector()
                let reader = try BlockReader(path: path)
                defer { reader.close() }
                try reader.forEachBlock(into: buffer) { try inspector.process($0) }
                print(Self.line(for: try inspector.finish(), path: path, json: json))
            } catch let error as SystemError {
                print("hanfix: \(error)", to: &standardError)
                status = max(status, ExitStatus.missingInput.code)
            } catch {
                print("hanfix: \(path): \(error)", to: &standardError)
                status = max(status, ExitStatus.invalidInput.code)
            }
        }
        if status != 0 { throw ExitStatus(status) }
    }

    static func line(for report: TextReport, path: String, json: Bool) -> String {
        let encoding = report.encoding?.encoding ?? "none"
        let confidence = report.encoding?.confidence ?? 0
        if json {
            return "{\"file\":\(RepairEvent.jsonString(path)),\"encoding\":\(RepairEvent.jsonString(encoding)),"
                + "\"confidence\":\(confidence),\"script\":\"\(report.script.rawValue)\","
                + "\"region\":\(report.region.map { "\"\($0)\"" } ?? "null"),"
                + "\"simplifiedOnly\":\(report.simplifiedOnlyCharacters),\"traditionalOnly\":\(report.traditionalOnlyCharacters),"
                + "\"bytes\":\(report.textBytes),\"mojibake\":\(report.mojibake),\"damage\":\(report.damage),"
                + "\"annotations\":\(report.annotations),\"normalizations\":\(report.normalizations)}"
        }
        let script = report.script.rawValue + (report.region.map { " (\($0))" } ?? "")
        return "\(path): \(encoding) (confidence \(confidence)), \(script), mojibake \(report.mojibake), "
            + "damage \(report.damage), annotations \(report.annotations), normalizations \(report.normalizations)"
    }
}
