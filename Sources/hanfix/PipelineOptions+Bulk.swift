import Glibc
import HanFix

extension PipelineOptions {
    /// `--in-place`, `--output-dir` and `--check`: walk the inputs, convert the files on
    /// `--jobs` threads (one file each), report per file and in a summary line.
    func runBulk(conversion: ConversionConfiguration?, mode: FileConverter.Mode) throws {
        var standardError = StandardError()
        guard !files.isEmpty, !files.contains("-") else {
            throw UsageError("--in-place, --output-dir and --check need files or folders, not standard input")
        }
        let walk: (files: [FileTreeWalker.Entry], skipped: [FileTreeWalker.Skipped])
        do {
            walk = try bulk.walker.files(under: files)
        } catch {
            print("hanfix: \(error)", to: &standardError)
            throw ExitStatus.missingInput
        }
        // Each file on one thread: files, not chunks, are shared out.
        let converter = FileConverter(
            pipeline: try pipeline(conversion: conversion, concurrency: 1), mode: mode, preservingTimes: bulk.preserveTimes,
            backupSuffix: bulk.backup, keepingEncoding: toEncoding == nil)
        let outputDir = bulk.outputDir ?? ""
        let nameConverter = bulk.rename ? conversion.map { Converter($0, engine: engine) } : nil
        // A file given by name lands in DIR by its name; a folder's files by their path in it
        // (converted, with --rename).
        let destinations = Dictionary(walk.files.map { entry in
            let relative = entry.relativePath.isEmpty ? String(entry.path.split(separator: "/").last!) : entry.relativePath
            return (entry.path, outputDir + "/" + (nameConverter?.convert(relative) ?? relative))
        }, uniquingKeysWith: { first, _ in first })
        // Two inputs bound for one destination would overwrite each other: neither is written.
        var clashes: Set<String> = []
        if bulk.outputDir != nil {
            let byDestination = Dictionary(grouping: walk.files.map(\.path), by: { destinations[$0]! })
            clashes = Set(byDestination.values.filter { $0.count > 1 }.joined())
        }
        let paths = walk.files.map(\.path).filter { !clashes.contains($0) }
        let progress = ProgressLine(total: paths.count, enabled: !bulk.quiet && isatty(STDERR_FILENO) != 0)
        var reports = converter.convert(paths: paths, jobs: defaultJobs,
                                        destination: { destinations[$0]! }, progress: progress.update)
        for path in walk.files.map(\.path) where clashes.contains(path) {
            var report = FileConverter.Report(path: path, outcome: .failed)
            report.message = "another input also goes to \(destinations[path]!)"
            reports.append(report)
        }
        progress.finish()
        for skipped in walk.skipped where !bulk.quiet && !bulk.json {
            Self.noteSkipped(skipped.path, reason: skipped.reason)
        }
        var counts: [FileConverter.Outcome: Int] = [:]
        for report in reports {
            counts[report.outcome, default: 0] += 1
            if bulk.json {
                print(Self.jsonLine(report))
            } else if bulk.diff && report.outcome == .converted {
                try print(diff(of: report.path, encoding: report.encoding, conversion: conversion), terminator: "")
            } else if mode == .check && report.outcome == .converted {
                print(report.path)
            } else if let message = report.message {
                print("hanfix: \(report.outcome == .failed ? "failed" : "skipped") \(report.path): \(message)", to: &standardError)
            }
        }
        if let nameConverter, bulk.outputDir == nil {
            let plan = RenamePlan(files: walk.files, converter: nameConverter)
            for (rename, reason) in plan.collisions {
                print("hanfix: not renaming \(rename.from) to \(rename.to): \(reason)", to: &standardError)
            }
            if mode == .inPlace {
                for (rename, error) in plan.perform() {
                    print("hanfix: \(error) to \(rename.to)", to: &standardError)
                    counts[.failed, default: 0] += 1
                }
            } else {
                for rename in plan.renames { print("rename \(rename.from) → \(rename.to)") }
            }
        }
        let verb = mode == .check ? "would change" : "converted"
        if !bulk.quiet {
            print("hanfix: \(counts[.converted] ?? 0) \(verb), \(counts[.unchanged] ?? 0) unchanged, "
                  + "\((counts[.skipped] ?? 0) + walk.skipped.count) skipped, \(counts[.failed] ?? 0) failed",
                  to: &standardError)
        }
        if counts[.failed] ?? 0 > 0 { throw ExitStatus.ioFailure }
        let damaged = reports.filter { $0.damage > 0 }
        if failOnDamage, let first = damaged.first {
            print("hanfix: damage found in \(damaged.count) file\(damaged.count == 1 ? "" : "s"), the first \(first.path) "
                  + "(see hanfix repair --explain)", to: &standardError)
            throw ExitStatus.failure
        }
        if mode == .check && counts[.converted] ?? 0 > 0 { throw ExitStatus.failure }
    }

    /// The unified diff of a file's decoded text against its converted text.
    private func diff(of path: String, encoding: String?, conversion: ConversionConfiguration?) throws -> String {
        func read(through pipeline: TextPipeline) throws -> String {
            var stream = try pipeline.makeStream()
            var output: [UInt8] = []
            let reader = try BlockReader(path: path)
            defer { reader.close() }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: BlockReader.blockSize, alignment: 16)
            defer { buffer.deallocate() }
            try reader.forEachBlock(into: buffer) { try stream.process($0) { output.append(contentsOf: $0) } }
            try stream.finish { output.append(contentsOf: $0) }
            return String(decoding: output, as: UTF8.self)
        }
        let decoded = TextPipeline(annotations: nil, mojibake: false, normalization: nil, inputEncoding: encoding ?? "auto")
        var converted = try pipeline(conversion: conversion, concurrency: 1)
        converted.inputEncoding = encoding ?? "auto"
        converted.outputEncoding = nil
        return UnifiedDiff.make(old: try read(through: decoded), new: try read(through: converted),
                                oldName: "a" + (path.hasPrefix("/") ? "" : "/") + path,
                                newName: "b" + (path.hasPrefix("/") ? "" : "/") + path)
    }

    static func jsonLine(_ report: FileConverter.Report) -> String {
        "{\"file\":\(RepairEvent.jsonString(report.path)),\"status\":\"\(report.outcome.rawValue)\","
            + "\"input_bytes\":\(report.inputBytes),\"output_bytes\":\(report.outputBytes),"
            + "\"encoding\":\(report.encoding.map(RepairEvent.jsonString) ?? "null"),"
            + "\"repairs\":\(report.repairs),\"damage\":\(report.damage),"
            + "\"message\":\(report.message.map(RepairEvent.jsonString) ?? "null")}"
    }
}


/// The live progress line on a terminal: files, bytes, rate and time left.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: update() is called under FileConverter's lock, one call at a time.
    private let total: Int
    private let enabled: Bool
    private let start = ProgressLine.now()
    private var lastDraw = 0.0

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    func update(done: Int, bytes: Int) {
        guard enabled else { return }
        let elapsed = Self.now() - start
        guard elapsed - lastDraw >= 0.1 || done == total else { return }
        lastDraw = elapsed
        let rate = Double(bytes) / 1e6 / max(elapsed, 0.001)
        let left = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        var standardError = StandardError()
        let megabytes = Self.tenths(Double(bytes) / 1e6), speed = Self.tenths(rate)
        let line = "\r\u{1B}[K\(done)/\(total) files, \(megabytes) MB, \(speed) MB/s, \(Int(left.rounded())) s left"
        print(line, terminator: "", to: &standardError)
    }

    /// `value` with one decimal.
    static func tenths(_ value: Double) -> String {
        let scaled = Int((value * 10).rounded())
        return "\(scaled / 10).\(scaled % 10)"
    }

    func finish() {
        guard enabled else { return }
        var standardError = StandardError()
        print("\r\u{1B}[K", terminator: "", to: &standardError)
    }
}
