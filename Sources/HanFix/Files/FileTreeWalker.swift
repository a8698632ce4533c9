import Glibc

/// Lists the regular files under some roots, the way a careful bulk tool must: symbolic links
/// are never followed (so nothing outside the roots is reached), hidden files and folders
/// are skipped unless asked for, and `--include` / `--exclude` globs filter by path.
///
/// ```swift
/// let walker = FileTreeWalker(includeGlobs: ["*.txt"])
/// for entry in try walker.files(under: ["docs"]) { print(entry.path) }
/// ```
public struct FileTreeWalker: Sendable {
    /// A file found under a root.
    public struct Entry: Sendable, Equatable {
        /// The path as given: root plus the relative path.
        public var path: String
        /// The root it was found under.
        public var root: String
        /// The path relative to the root ("" when the root itself is the file).
        public var relativePath: String
    }

    /// Something the walk passed over, and why.
    public struct Skipped: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    /// Globs (fnmatch, matched against the relative path and the file name) a file must match;
    /// empty for all files.
    public var includeGlobs: [String]
    /// Globs that exclude a file or a whole folder.
    public var excludeGlobs: [String]
    /// Whether to enter hidden folders and list hidden files (names starting with ".").
    public var includeHidden: Bool
    /// Whether to remove the temporary files of interrupted runs (only when writing).
    public var removesLeftovers: Bool

    public init(includeGlobs: [String] = [], excludeGlobs: [String] = [], includeHidden: Bool = false,
                removesLeftovers: Bool = false) {
        self.includeGlobs = includeGlobs
        self.excludeGlobs = excludeGlobs
        self.includeHidden = includeHidden
        self.removesLeftovers = removesLeftovers
    }

    /// The regular files under `roots`, in a stable order (sorted by name within each folder),
    /// and what was skipped: symbolic links, special files, and leftover temporary files of an
    /// interrupted run (which are removed). Throws ``HanFixError/fileSystem(operation:path:code:)``
    /// for a root that cannot be read.
    public func files(under roots: [String]) throws -> (files: [Entry], skipped: [Skipped]) {
        var files: [Entry] = []
        var skipped: [Skipped] = []
        for root in roots {
            var status = stat()
            guard lstat(root, &status) == 0 else { throw HanFixError.fileSystem(operation: "cannot read", path: root, code: errno) }
            switch status.st_mode & S_IFMT {
            case S_IFREG:
                files.append(Entry(path: root, root: root, relativePath: ""))
            case S_IFDIR:
                try walk(directory: root, relative: "", root: root, into: &files, skipped: &skipped)
            case S_IFLNK:
                skipped.append(Skipped(path: root, reason: "symbolic link (not followed)"))
            default:
                skipped.append(Skipped(path: root, reason: "not a regular file"))
            }
        }
        return (files, skipped)
    }

    private func walk(directory: String, relative: String, root: String, into files: inout [Entry],
                      skipped: inout [Skipped]) throws {
        guard let handle = opendir(directory) else {
            throw HanFixError.fileSystem(operation: "cannot read directory", path: directory, code: errno)
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        for name in names.sorted() {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            if AtomicFileWriter.temporaryOwner(name) != nil {
                // A leftover of an interrupted run (its process is gone): the original is
                // intact, so it can go. A running process's file is left to it.
                if removesLeftovers && !AtomicFileWriter.isOwnerAlive(name) {
                    unlink(path)
                    skipped.append(Skipped(path: path, reason: "leftover temporary file (removed)"))
                }
                continue
            }
            if name.hasPrefix(".") && !includeHidden { continue }
            if excludeGlobs.contains(where: { Self.matches($0, path: relativePath, name: name) }) { continue }
            var status = stat()
            guard lstat(path, &status) == 0 else {
                skipped.append(Skipped(path: path, reason: String(cString: strerror(errno))))
                continue
            }
            switch status.st_mode & S_IFMT {
            case S_IFDIR:
                try walk(directory: path, relative: relativePath, root: root, into: &files, skipped: &skipped)
            case S_IFREG:
                if includeGlobs.isEmpty || includeGlobs.contains(where: { Self.matches($0, path: relativePath, name: name) }) {
                    files.append(Entry(path: path, root: root, relativePath: relativePath))
                }
            case S_IFLNK:
                skipped.append(Skipped(path: path, reason: "symbolic link (not followed)"))
            default:
                skipped.append(Skipped(path: path, reason: "not a regular file"))
            }
        }
    }

    /// Whether `glob` matches the relative path or, for a glob without "/", the name.
    static func matches(_ glob: String, path: String, name: String) -> Bool {
        if glob.contains("/") { return fnmatch(glob, path, FNM_PATHNAME) == 0 }
        return fnmatch(glob, name, 0) == 0
    }
}
