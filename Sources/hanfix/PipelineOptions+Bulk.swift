import ArgumentParser
import Glibc
import HanFix

extension PipelineOptions {
    /// `--in-place`, `--output-dir` and `--check`: walk the inputs, convert the files on
    /// `--jobs` threads (one file each), report per file and in a summary line.
    func runBulk(conversion: ConversionConfiguration?, mode: FileConverter.Mode) throws {
        var standardError = StandardError()
        guard !files.isEmpty, !files.contains("-") else {
            throw ValidationError("--in-place, --output-dir and --check need files or folders, not standard input")
        }
        let walk: (files: [FileTreeWalker.Entry], skipped: [FileTreeWalker.Skipped])
        do {
            walk = try bulk.walker.files(under: files)
        } catch {
            print("hanfix: \(error)", to: &standardError)
            throw ExitCode.missingInput
        }
        // Each file on one thread: files, not chunks, are shared out.
        let converter = FileConverter(
            pipeline: pipeline(conversion: conversion, concurrency: 1), mode: mode, preservingTimes: bulk.preserveTimes,
            backupSuffix: bulk.backup, keepingEncoding: toEncoding == nil)
        let outputDir = bulk.outputDir ?? ""
        // A file given by name lands in DIR by its name; a folder's files by their path in it.
        let destinations = Dictionary(walk.files.map { entry in
            (entry.path, outputDir + "/" + (entry.relativePath.isEmpty ? String(entry.path.split(separator: "/").last!) : entry.relativePath))
        }, uniquingKeysWith: { first, _ in first })
        let reports = converter.convert(paths: walk.files.map(\.path), jobs: defaultJobs) { destinations[$0]! }
        for skipped in walk.skipped where !bulk.quiet && !bulk.json {
            print("hanfix: skipped \(skipped.path): \(skipped.reason)", to: &standardError)
        }
        var counts: [FileConverter.Outcome: Int] = [:]
        for report in reports {
            counts[report.outcome, default: 0] += 1
            if bulk.json {
                print(Self.jsonLine(report))
            } else if mode == .check && report.outcome == .converted {
                print(report.path)
            } else if let message = report.message {
                print("hanfix: \(report.outcome == .failed ? "failed" : "skipped") \(report.path): \(message)", to: &standardError)
            }
        }
        let verb = mode == .check ? "would change" : "converted"
        if !bulk.quiet {
            print("hanfix: \(counts[.converted] ?? 0) \(verb), \(counts[.unchanged] ?? 0) unchanged, "
                  + "\((counts[.skipped] ?? 0) + walk.skipped.count) skipped, \(counts[.failed] ?? 0) failed",
                  to: &standardError)
        }
        if counts[.failed] ?? 0 > 0 { throw ExitCode(74) }
        if mode == .check && counts[.converted] ?? 0 > 0 { throw ExitCode(1) }
    }

    static func jsonLine(_ report: FileConverter.Report) -> String {
        "{\"file\":\(RepairEvent.jsonString(report.path)),\"status\":\"\(report.outcome.rawValue)\","
            + "\"input_bytes\":\(report.inputBytes),\"output_bytes\":\(report.outputBytes),"
            + "\"encoding\":\(report.encoding.map(RepairEvent.jsonString) ?? "null"),"
            + "\"repairs\":\(report.repairs),\"damage\":\(report.damage),"
            + "\"message\":\(report.message.map(RepairEvent.jsonString) ?? "null")}"
    }
}
