import Glibc

/// Replaces a file so that, whatever happens (even SIGKILL or a power cut after the rename
/// reached the disk), the file is either wholly old or wholly new.
///
/// The new contents go to a temporary file in the same folder, named
/// `.hanfix-tmp-<pid>-<n>-<name>` so that a later run recognises and removes a leftover; it is
/// written, given the original's mode, flushed with fsync, and renamed over the original,
/// which is atomic on one file system.
final class AtomicFileWriter {
    let target: String
    let temporaryPath: String
    private let descriptor: Int32
    private var committed = false

    static let temporaryPrefix = ".hanfix-tmp-"
    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = NSLockLite()

    /// Whether `name` is one of HanFix's temporary files.
    static func isTemporaryName(_ name: String) -> Bool { name.hasPrefix(temporaryPrefix) }

    /// Whether the process that made temporary file `name` is still running.
    static func isOwnerAlive(_ name: String) -> Bool {
        guard let pid = Int32(name.dropFirst(temporaryPrefix.count).prefix { $0 != "-" }) else { return false }
        return pid == getpid() || kill(pid, 0) == 0
    }

    /// Creates the temporary file beside `target` (which need not exist yet).
    init(replacing target: String) throws {
        self.target = target
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[...$0]) } ?? ""
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        let number = Self.counterLock.withLock { () -> Int in
            Self.counter += 1
            return Self.counter
        }
        temporaryPath = directory + Self.temporaryPrefix + "\(getpid())-\(number)-" + name
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw HanFixError.fileSystem(operation: "cannot create", path: temporaryPath, code: errno)
        }
    }

    deinit {
        if !committed { discard() }
    }

    /// Appends bytes to the new contents.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw HanFixError.fileSystem(operation: "cannot write", path: temporaryPath, code: errno)
            }
            offset += written
        }
    }

    /// Makes the new contents the file: mode (and, with `preservingTimes`, access and
    /// modification times) from `original`, fsync, an optional backup of the old file as
    /// `target + backupSuffix`, then the rename.
    func commit(original: stat?, preservingTimes: Bool, backupSuffix: String?) throws {
        if let original {
            guard fchmod(descriptor, original.st_mode & 0o7777) == 0 else {
                throw HanFixError.fileSystem(operation: "cannot set the mode of", path: temporaryPath, code: errno)
            }
            if preservingTimes {
                var times = [original.st_atim, original.st_mtim]
                guard futimens(descriptor, &times) == 0 else {
                    throw HanFixError.fileSystem(operation: "cannot set the times of", path: temporaryPath, code: errno)
                }
            }
        }
        guard fsync(descriptor) == 0 else {
            throw HanFixError.fileSystem(operation: "cannot flush", path: temporaryPath, code: errno)
        }
        guard close(descriptor) == 0 else {
            throw HanFixError.fileSystem(operation: "cannot close", path: temporaryPath, code: errno)
        }
        if let backupSuffix, original != nil {
            let backup = target + backupSuffix
            unlink(backup)
            guard link(target, backup) == 0 else {
                throw HanFixError.fileSystem(operation: "cannot back up", path: target, code: errno)
            }
        }
        guard rename(temporaryPath, target) == 0 else {
            throw HanFixError.fileSystem(operation: "cannot replace", path: target, code: errno)
        }
        committed = true
    }

    /// Removes the temporary file; the original is untouched.
    func discard() {
        if !committed {
            close(descriptor)
            unlink(temporaryPath)
            committed = true
        }
    }
}

/// A pthread mutex for the few shared counters of the file tools.
final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
