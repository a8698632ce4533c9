import Glibc

/// The renames that convert file and folder names under some roots (`--rename`): each name
/// converted with the same conversion as the text, files first and then folders from the
/// deepest up, so that every rename's source still exists when its turn comes.
///
/// A rename whose target already exists, or whose target another rename also wants, is a
/// collision: it is reported and not done.
public struct RenamePlan: Sendable {
    public struct Rename: Sendable, Equatable {
        public var from: String
        public var to: String
    }

    public private(set) var renames: [Rename] = []
    /// Renames not done, with the reason.
    public private(set) var collisions: [(rename: Rename, reason: String)] = []

    /// Plans the renames of `files` (as walked) and of the folders between them and their roots.
    public init(files: [FileTreeWalker.Entry], converter: Converter) {
        var folders: Set<String> = []
        var candidates: [Rename] = []
        for file in files where !file.relativePath.isEmpty {
            let parts = file.relativePath.split(separator: "/").map(String.init)
            for depth in 1..<parts.count {
                folders.insert(file.root + "/" + parts[..<depth].joined(separator: "/"))
            }
        }
        let filePaths = files.map { $0.relativePath.isEmpty ? $0.path : $0.root + "/" + $0.relativePath }
        // Files, then folders deepest first: the paths of their parents are still the old ones.
        let ordered = filePaths + folders.sorted { $0.split(separator: "/").count > $1.split(separator: "/").count }
        for path in ordered {
            let slash = path.lastIndex(of: "/")
            let directory = slash.map { String(path[...$0]) } ?? ""
            let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
            let converted = converter.convert(name)
            if converted != name { candidates.append(Rename(from: path, to: directory + converted)) }
        }
        var claimed: [String: Int] = [:]
        for rename in candidates { claimed[rename.to, default: 0] += 1 }
        for rename in candidates {
            var status = stat()
            if claimed[rename.to, default: 0] > 1 {
                collisions.append((rename, "another name converts to the same name"))
            } else if lstat(rename.to, &status) == 0 {
                collisions.append((rename, "the target exists"))
            } else {
                renames.append(rename)
            }
        }
    }

    /// Does the renames; returns the ones that failed, with the error.
    public func perform() -> [(rename: Rename, error: HanFixError)] {
        renames.compactMap { rename in
            Glibc.rename(rename.from, rename.to) == 0 ? nil
                : (rename, HanFixError.fileSystem(operation: "cannot rename", path: rename.from, code: errno))
        }
    }
}
