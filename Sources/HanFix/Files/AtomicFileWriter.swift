import Glibc
import Synchronization

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
    private var closed = false

    static let temporaryPrefix = ".hanfix-tmp-"
    /// Numbers the temporary files of this process.
    private static let counter = Atomic<Int>(0)

    /// Whether `name` is one of HanFix's temporary files.
    static func isTemporaryName(_ name: String) -> Bool { name.hasPrefix(temporaryPrefix) }

    /// Whether `name` has the exact shape of a temporary file: `.hanfix-tmp-<pid>-<n>-<name>`.
    static func temporaryOwner(_ name: String) -> Int32? {
        let fields = name.dropFirst(temporaryPrefix.count).split(separator: "-", maxSplits: 2, omittingEmptySubsequences: false)
        guard isTemporaryName(name), fields.count == 3, let pid = Int32(fields[0]), Int(fields[1]) != nil, !fields[2].isEmpty
        else { return nil }
        return pid
    }

    /// Whether the process that made temporary file `name` may still be running (a process
    /// of another user counts as running).
    static func isOwnerAlive(_ name: String) -> Bool {
        guard let pid = temporaryOwner(name) else { return true }
        return pid == getpid() || kill(pid, 0) == 0 || errno == EPERM
    }

    /// Creates the temporary file beside `target` (which need not exist yet).
    init(replacing target: String) throws {
        self.target = target
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[...$0]) } ?? ""
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        let number = Self.counter.add(1, ordering: .relaxed).newValue
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
            // Owner and group first: a set-id bit must not survive on a file someone else owns.
            var mode = original.st_mode & 0o7777
            if fchown(descriptor, original.st_uid, original.st_gid) != 0 { mode &= ~(S_ISUID | S_ISGID) }
            guard fchmod(descriptor, mode) == 0 else {
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
        closed = true
        guard close(descriptor) == 0 else {
            throw HanFixError.fileSystem(operation: "cannot close", path: temporaryPath, code: errno)
        }
        if let backupSuffix, original != nil {
            // Never over an existing file: it may be another input, or the target itself.
            let backup = target + backupSuffix
            guard !backupSuffix.isEmpty, link(target, backup) == 0 else {
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
            if !closed { close(descriptor) }
            closed = true
            unlink(temporaryPath)
            committed = true
        }
    }
}
