import Glibc

/// An error from a system call, with the path it concerned.
struct SystemError: Error, CustomStringConvertible {
    let operation: String
    let path: String
    let code: Int32

    var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
}

/// Reads a file descriptor in large blocks with read(2): about 1 GB/s through a pipe here,
/// several times FileHandle's rate.
struct BlockReader {
    let descriptor: Int32
    let path: String

    static let blockSize = 128 * 1024

    /// Opens `path`, or standard input for "-".
    init(path: String) throws {
        if path == "-" {
            self.init(descriptor: STDIN_FILENO, path: "<stdin>")
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError(operation: "cannot open", path: path, code: errno) }
        self.init(descriptor: descriptor, path: path)
    }

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Calls `body` with each block read until end of file.
    ///
    /// Blocks end after a newline where the data allows (the rest of the read waits at the
    /// front of the buffer for the next read), so that the stages, which work line by line,
    /// rarely hold a partial line and can pass text on without copying it.
    func forEachBlock(into buffer: UnsafeMutableRawBufferPointer,
                      _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var carried = 0
        while true {
            let count = read(descriptor, buffer.baseAddress! + carried, buffer.count - carried)
            if count < 0 {
                if errno == EINTR { continue }
                throw SystemError(operation: "cannot read", path: path, code: errno)
            }
            let filled = carried + count
            if count == 0 {
                if filled > 0 { try body(UnsafeRawBufferPointer(rebasing: buffer[..<filled])) }
                return
            }
            // The last newline, unless the block has none or the line would fill the buffer.
            let bytes = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var end = filled
            while end > 0 && bytes[end - 1] != 0x0A && filled - end < buffer.count / 2 { end -= 1 }
            if end == 0 || bytes[end - 1] != 0x0A { end = filled }
            try body(UnsafeRawBufferPointer(rebasing: buffer[..<end]))
            carried = filled - end
            if carried > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + end, carried) }
        }
    }

    func close() {
        if descriptor != STDIN_FILENO { _ = Glibc.close(descriptor) }
    }
}

/// Buffers output and writes it with write(2) in large blocks.
final class BlockWriter {
    private let descriptor: Int32
    private let path: String
    private let buffer: UnsafeMutableRawBufferPointer
    private var count = 0

    /// Creates (or truncates) `path`, or writes to standard output for nil or "-" (standard
    /// error with `standardError`).
    init(path: String?, standardError: Bool = false) throws {
        if let outputPath = path, outputPath != "-" {
            let descriptor = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw SystemError(operation: "cannot create", path: outputPath, code: errno)
            }
            self.descriptor = descriptor
            self.path = outputPath
        } else {
            descriptor = standardError ? STDERR_FILENO : STDOUT_FILENO
            self.path = standardError ? "<stderr>" : "<stdout>"
        }
        buffer = .allocate(byteCount: 256 * 1024, alignment: 16)
    }

    deinit { buffer.deallocate() }

    var isTerminal: Bool { isatty(descriptor) != 0 }

    /// Writes at least this much with one write(2) of its own, without copying it (and
    /// without touching the buffer's pages): the stream hands over whole converted blocks.
    static let directWriteSize = 64 * 1024

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.count >= Self.directWriteSize {
            try flush()
            try writeAll(bytes)
            return
        }
        if count + bytes.count > buffer.count { try flush() }
        UnsafeMutableRawBufferPointer(rebasing: buffer[count..<(count + bytes.count)]).copyMemory(from: bytes)
        count += bytes.count
    }

    func write(text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    func flush() throws {
        guard count > 0 else { return }
        defer { count = 0 }
        try writeAll(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
    }

    func close() throws {
        try flush()
        if descriptor > STDERR_FILENO, Glibc.close(descriptor) != 0 {
            throw SystemError(operation: "cannot close", path: path, code: errno)
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw SystemError(operation: "cannot write", path: path, code: errno)
            }
            offset += written
        }
    }
}
