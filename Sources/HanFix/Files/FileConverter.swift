import Glibc
import Synchronization

/// Converts one file at a time for bulk work: in place (atomically), into a mirror folder,
/// or only to tell whether it would change. In place, a file whose conversion changes nothing
/// is never rewritten; a mirror gets every file. Memory stays bounded: the file streams
/// through the pipeline.
///
/// ```swift
/// let converter = FileConverter(pipeline: TextPipeline(conversion: .t2s), mode: .inPlace)
/// let report = converter.convert(path: "docs/a.txt")   // report.outcome == .converted
/// ```
public struct FileConverter: Sendable {
    /// Where the result goes.
    public enum Mode: Sendable, Equatable {
        /// Replace the file atomically (``AtomicFileWriter``).
        case inPlace
        /// Write the result to this path instead (folders are created).
        case copy(to: String)
        /// Write nothing; only report whether the file would change.
        case check
    }

    /// What happened to a file.
    public enum Outcome: String, Sendable {
        case converted, unchanged, skipped, failed
    }

    /// One file's report, for the summary and `--json`.
    public struct Report: Sendable {
        public var path: String
        public var outcome: Outcome
        /// Why a file was skipped or failed.
        public var message: String?
        public var inputBytes = 0
        public var outputBytes = 0
        /// The encoding detected (and, in place, kept).
        public var encoding: String?
        public var damage = 0
        public var repairs = 0

        public init(path: String, outcome: Outcome) {
            self.path = path
            self.outcome = outcome
        }
    }

    public var pipeline: TextPipeline
    public var mode: Mode
    public var preservingTimes: Bool
    public var backupSuffix: String?
    /// Whether to write a file back in its own encoding (the default in place), rather than
    /// the pipeline's output encoding.
    public var keepingEncoding: Bool

    public init(pipeline: TextPipeline, mode: Mode, preservingTimes: Bool = false, backupSuffix: String? = nil,
                keepingEncoding: Bool = true) {
        self.pipeline = pipeline
        self.mode = mode
        self.preservingTimes = preservingTimes
        self.backupSuffix = backupSuffix
        self.keepingEncoding = keepingEncoding
    }

    static let blockSize = 256 * 1024

    /// Converts the file at `path`. Never throws: problems are the report's outcome.
    public func convert(path: String) -> Report {
        var report = Report(path: path, outcome: .failed)
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            report.message = "cannot open: " + String(cString: strerror(errno))
            return report
        }
        defer { close(input) }
        var original = stat()
        fstat(input, &original)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 16)
        defer { buffer.deallocate() }
        do {
            // The first block decides the encoding, and whether the file is text at all.
            let first = try readBlock(input, into: buffer, path: path)
            let guess = EncodingDetector.detect(UnsafeBufferPointer(rebasing: first.bindMemory(to: UInt8.self)[...]),
                                                isComplete: first.count < buffer.count)
            report.encoding = guess.encoding
            if Self.isBinary(first, guess: guess) {
                report.outcome = .skipped
                report.message = Self.binaryReason
                return report
            }
            var pipeline = self.pipeline
            // `--from` wins over detection; detection still tells binary files.
            if pipeline.inputEncoding == nil || pipeline.inputEncoding?.lowercased() == "auto" {
                pipeline.inputEncoding = guess.encoding
            }
            var byteOrderMark: [UInt8] = []
            if keepingEncoding {
                pipeline.outputEncoding = pipeline.inputEncoding
                byteOrderMark = Array(first.prefix(guess.byteOrderMarkLength))
            }
            var events = (damage: 0, repairs: 0)
            var stream = try pipeline.makeStream(explain: { event in
                if event.isDamage { events.damage += 1 } else { events.repairs += 1 }
            })
            let sink = try OutputSink(mode: mode, path: path, compareWith: input)
            try sink.write(byteOrderMark)
            var block = UnsafeRawBufferPointer(rebasing: first[guess.byteOrderMarkLength...])
            report.inputBytes = first.count
            while true {
                try stream.process(block) { try sink.write($0) }
                let next = try readBlock(input, into: buffer, path: path)
                if next.isEmpty { break }
                report.inputBytes += next.count
                block = next
            }
            try stream.finish { try sink.write($0) }
            report.outputBytes = sink.written
            report.damage = events.damage
            report.repairs = events.repairs
            report.outcome = sink.isIdentical(toLength: report.inputBytes) ? .unchanged : .converted
            // In place, an unchanged file is not rewritten; a mirror gets every file.
            if report.outcome == .converted || mode != .inPlace {
                try sink.commit(original: original, preservingTimes: preservingTimes, backupSuffix: backupSuffix)
            } else {
                sink.discard()
            }
        } catch let error as HanFixError {
            switch error {
            case .invalidUTF8, .undecodable:
                report.outcome = .skipped
                report.message = "not text in any encoding HanFix reads (\(error))"
            default:
                report.outcome = .failed
                report.message = "\(error)"
            }
        } catch {
            report.outcome = .failed
            report.message = "\(error)"
        }
        return report
    }

    private func readBlock(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, path: String) throws -> UnsafeRawBufferPointer {
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return UnsafeRawBufferPointer(rebasing: buffer[..<count]) }
            if errno != EINTR { throw HanFixError.fileSystem(operation: "cannot read", path: path, code: errno) }
        }
    }

    /// Where a file's result goes, comparing it with the original as it is written, so that
    /// an unchanged file is known without a second pass.
    private final class OutputSink {
        private let writer: AtomicFileWriter?
        private let original: Int32
        private var identical = true
        private var compareBuffer = [UInt8](repeating: 0, count: 64 * 1024)
        private(set) var written = 0

        init(mode: Mode, path: String, compareWith original: Int32) throws {
            self.original = original
            switch mode {
            case .inPlace: writer = try AtomicFileWriter(replacing: path)
            case .copy(let destination):
                try FileConverter.createDirectories(for: destination)
                writer = try AtomicFileWriter(replacing: destination)
            case .check: writer = nil
            }
        }

        func write(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try write($0) }
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            guard !bytes.isEmpty else { return }
            if identical { identical = matchesOriginal(bytes, at: written) }
            try writer?.write(bytes)
            written += bytes.count
        }

        /// Whether `bytes` are the original's bytes at `offset` (read with pread, so that the
        /// reading of the input is not disturbed).
        private func matchesOriginal(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
            var checked = 0
            while checked < bytes.count {
                let want = min(compareBuffer.count, bytes.count - checked)
                let got = compareBuffer.withUnsafeMutableBytes { pread(original, $0.baseAddress, want, off_t(offset + checked)) }
                guard got == want else { return false }
                let same = compareBuffer.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress! + checked, want) == 0 }
                guard same else { return false }
                checked += want
            }
            return true
        }

        func isIdentical(toLength length: Int) -> Bool { identical && written == length }

        func commit(original: stat, preservingTimes: Bool, backupSuffix: String?) throws {
            try writer?.commit(original: original, preservingTimes: preservingTimes, backupSuffix: backupSuffix)
        }

        func discard() { writer?.discard() }
    }

    /// Creates the folders above `path`.
    static func createDirectories(for path: String) throws {
        var prefix = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for (index, part) in parts.enumerated() {
            prefix += (index == 0 ? "" : "/") + part
            guard !prefix.isEmpty else { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw HanFixError.fileSystem(operation: "cannot create directory", path: prefix, code: errno)
            }
        }
    }
}

extension FileConverter {
    /// Whether a file whose first block is `first`, with the encoding `guess` detected in it,
    /// is binary rather than text: a NUL byte where no UTF-16 or UTF-32 encoding explains it.
    public static func isBinary(_ first: UnsafeRawBufferPointer, guess: EncodingGuess) -> Bool {
        guess.encoding == "UTF-8" && first.contains(0)
    }

    /// ``isBinary(_:guess:)`` for a caller that does not detect the encoding itself: only a
    /// block with a NUL byte is examined further, so text costs one scan.
    public static func isBinary(_ first: UnsafeRawBufferPointer, isComplete: Bool) -> Bool {
        first.contains(0)
            && isBinary(first, guess: EncodingDetector.detect(first.bindMemory(to: UInt8.self), isComplete: isComplete))
    }

    /// Why ``isBinary(_:guess:)`` files are skipped, as reports say.
    public static let binaryReason = "binary (NUL byte)"

    /// Converts many files on `jobs` threads, one file per thread at a time, and returns the
    /// reports in the order of `paths`. `destination(path)` gives each file's target in
    /// ``Mode/copy(to:)`` mode; `progress` hears the files and input bytes done so far, one
    /// call at a time. The results do not depend on `jobs`.
    public func convert(paths: [String], jobs: Int, destination: ((String) -> String)? = nil,
                        progress: ((_ done: Int, _ bytes: Int) -> Void)? = nil) -> [Report] {
        let results = ReportSlots(count: paths.count, progress: progress)
        let work: (Int) -> Void = { _ in
            while true {
                let index = results.takeIndex()
                guard index < paths.count else { return }
                var converter = self
                if case .copy = self.mode, let destination { converter.mode = .copy(to: destination(paths[index])) }
                results.set(index, converter.convert(path: paths[index]))
            }
        }
        let width = max(1, min(jobs, paths.count))
        if width == 1 {
            work(0)
        } else {
            WorkerThreads(width: width).run(parts: width, work)
        }
        return results.reports.map { $0! }
    }

    /// The files still to take, and the reports the threads write, each to its own slot.
    private final class ReportSlots: @unchecked Sendable {
        // @unchecked: `state` guards the reports and counts; `progress` is called under it.
        private struct State {
            var reports: [Report?]
            var done = 0, bytes = 0
        }
        private let state: Mutex<State>
        private let cursor = Atomic<Int>(0)
        private let progress: ((Int, Int) -> Void)?

        init(count: Int, progress: ((Int, Int) -> Void)?) {
            state = Mutex(State(reports: Array(repeating: nil, count: count)))
            self.progress = progress
        }

        /// The index of the next file to convert (past the end once all are taken).
        func takeIndex() -> Int { cursor.add(1, ordering: .relaxed).oldValue }

        func set(_ index: Int, _ report: Report) {
            state.withLock { state in
                state.reports[index] = report
                state.done += 1
                state.bytes += report.inputBytes
                progress?(state.done, state.bytes)
            }
        }

        var reports: [Report?] { state.withLock { $0.reports } }
    }
}
