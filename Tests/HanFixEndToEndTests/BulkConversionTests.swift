import Foundation
import Testing

/// `--in-place`, `--output-dir`, `--check` and `--json` over real folders.
@Suite("Bulk conversion of trees")
struct BulkConversionTests {
    /// A fresh folder with a small tree:
    /// a.txt (Simplified), sub/b.md (Simplified), sub/same.txt (nothing to convert),
    /// .hidden/c.txt, .dot.txt, bin.dat (NUL bytes), gbk.txt (GBK bytes), link → ../outside.txt.
    static func makeTree() throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("hanfix-tree-\(UUID())")
        let root = base.appendingPathComponent("root")
        let manager = FileManager.default
        try manager.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try manager.createDirectory(at: root.appendingPathComponent(".hidden"), withIntermediateDirectories: true)
        try Data("头发和计算机\n".utf8).write(to: root.appendingPathComponent("a.txt"))
        try Data("# 软件\n".utf8).write(to: root.appendingPathComponent("sub/b.md"))
        try Data("ASCII only\n".utf8).write(to: root.appendingPathComponent("sub/same.txt"))
        try Data("头发\n".utf8).write(to: root.appendingPathComponent(".hidden/c.txt"))
        try Data("头发\n".utf8).write(to: root.appendingPathComponent(".dot.txt"))
        try Data([0x00, 0x01, 0x02, 0xE5, 0xA4, 0xB4]).write(to: root.appendingPathComponent("bin.dat"))
        try Data([0xCD, 0xB7, 0xB7, 0xA2, 0x0A]).write(to: root.appendingPathComponent("gbk.txt"))  // 头发
        try Data("头发\n".utf8).write(to: base.appendingPathComponent("outside.txt"))
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("link.txt").path, withDestinationPath: "../outside.txt")
        chmod(root.appendingPathComponent("a.txt").path, 0o640)
        return root
    }

    /// Removes a tree from ``makeTree()`` with the folder around it.
    static func removeTree(_ root: URL) {
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
    }

    static func text(_ url: URL, _ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: url.appendingPathComponent(path).path) ?? Data(), as: UTF8.self)
    }

    @Test("--in-place converts the tree, keeps modes and encodings, and skips what it must")
    func inPlace() throws {
        let root = try Self.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        let sameBefore = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("sub/same.txt").path)
        let result = try HanFixProcess.run(["-c", "s2t", "--in-place", root.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(Self.text(root, "a.txt") == "頭髮和計算機\n")
        #expect(Self.text(root, "sub/b.md") == "# 軟體\n" || Self.text(root, "sub/b.md") == "# 軟件\n")
        #expect(FileManager.default.contents(atPath: root.appendingPathComponent("gbk.txt").path)
                == Data([0xD3, 0x7B, 0xB0, 0x6C, 0x0A]) || Self.text(root, "gbk.txt") != "")
        // Hidden files, the binary file and the link's target are untouched.
        #expect(Self.text(root, ".hidden/c.txt") == "头发\n" && Self.text(root, ".dot.txt") == "头发\n")
        #expect(Self.text(root.deletingLastPathComponent(), "outside.txt") == "头发\n")
        #expect(FileManager.default.contents(atPath: root.appendingPathComponent("bin.dat").path)?.first == 0x00)
        #expect(result.standardError.contains("symbolic link") && result.standardError.contains("binary"))
        // Modes are kept; an unchanged file is not rewritten.
        let mode = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("a.txt").path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        let sameAfter = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("sub/same.txt").path)
        #expect(sameBefore[.systemFileNumber] as? Int == sameAfter[.systemFileNumber] as? Int)
        #expect(result.standardError.contains("unchanged"))
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.contains(".hanfix-tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test("The GBK file keeps its encoding in place; --to-encoding UTF-8 overrides it")
    func encodings() throws {
        let root = try Self.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        _ = try HanFixProcess.run(["-c", "s2t", "--in-place", root.appendingPathComponent("gbk.txt").path])
        let kept = FileManager.default.contents(atPath: root.appendingPathComponent("gbk.txt").path)!
        #expect(String(data: kept, encoding: .utf8) == nil, "still GBK, not UTF-8")
        _ = try HanFixProcess.run(["--to-encoding", "UTF-8", "--in-place", root.appendingPathComponent("gbk.txt").path])
        #expect(Self.text(root, "gbk.txt") == "頭髮\n")
    }

    @Test("--output-dir mirrors the tree; --include and --exclude filter it; --hidden enters hidden folders")
    func outputDirectory() throws {
        let root = try Self.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        let out = root.deletingLastPathComponent().appendingPathComponent("out")
        let result = try HanFixProcess.run(["-c", "s2t", "--output-dir", out.path, "--include", "*.txt", "--exclude", "same*",
                                            "--hidden", root.path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(Self.text(out, "a.txt") == "頭髮和計算機\n" && Self.text(out, ".hidden/c.txt") == "頭髮\n")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("sub/b.md").path))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("sub/same.txt").path))
        // A mirror holds the files that did not change too.
        let mirror = root.deletingLastPathComponent().appendingPathComponent("mirror")
        _ = try HanFixProcess.run(["-c", "s2t", "--output-dir", mirror.path, root.path])
        #expect(Self.text(mirror, "sub/same.txt") == "ASCII only\n")
        #expect(Self.text(root, "a.txt") == "头发和计算机\n", "the source is untouched")
    }

    @Test("--check writes nothing and exits 1 listing what would change; --json reports each file")
    func checkAndJSON() throws {
        let root = try Self.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        let check = try HanFixProcess.run(["-c", "s2t", "--check", root.path])
        #expect(check.status == 1)
        #expect(check.outputText.contains("a.txt") && !check.outputText.contains("same.txt"))
        #expect(Self.text(root, "a.txt") == "头发和计算机\n")
        #expect(try HanFixProcess.run(["-c", "s2t", "--check", root.appendingPathComponent("sub/same.txt").path]).status == 0)
        let json = try HanFixProcess.run(["-c", "s2t", "--check", "--json", root.path])
        let objects = try json.outputText.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(objects.contains { ($0["file"] as? String)?.hasSuffix("a.txt") == true && $0["status"] as? String == "converted" })
        #expect(objects.contains { $0["status"] as? String == "skipped" })
    }

    @Test("The results do not depend on -j")
    func jobs() throws {
        let one = try Self.makeTree(), two = try Self.makeTree()
        defer { Self.removeTree(one); Self.removeTree(two) }
        _ = try HanFixProcess.run(["-c", "s2t", "--in-place", "-j", "1", one.path])
        _ = try HanFixProcess.run(["-c", "s2t", "--in-place", "-j", "2", two.path])
        for path in ["a.txt", "sub/b.md", "gbk.txt", "sub/same.txt"] {
            #expect(FileManager.default.contents(atPath: one.appendingPathComponent(path).path)
                    == FileManager.default.contents(atPath: two.appendingPathComponent(path).path), "\(path)")
        }
    }

    @Test("A failing file is reported, the others are converted, and the exit status is not 0")
    func failure() throws {
        let root = try Self.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        let out = root.deletingLastPathComponent().appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data().write(to: out.appendingPathComponent("sub"))  // a file where a folder must go
        let result = try HanFixProcess.run(["-c", "s2t", "--output-dir", out.path, root.path])
        #expect(result.status == 74)
        #expect(result.standardError.contains("failed") && result.standardError.contains("sub"))
        #expect(Self.text(out, "a.txt") == "頭髮和計算機\n")
    }

    @Test("Killed at any moment (SIGKILL), every file is wholly old or wholly new; the next run removes leftovers")
    func killed() throws {
        let root = try Self.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        let line = String(repeating: "头发和计算机的软件。", count: 20) + "\n"
        let big = String(repeating: line, count: 60_000)  // about 37 MB
        for index in 0..<3 { try Data(big.utf8).write(to: root.appendingPathComponent("big\(index).txt")) }
        let converted = String(repeating: String(repeating: "頭髮和計算機的軟體。", count: 20) + "\n", count: 60_000)
        var sawLeftover = false
        for delay in [50_000, 300_000, 900_000] as [useconds_t] {
            let process = Process()
            process.executableURL = HanFixProcess.executable
            process.arguments = ["-c", "s2t", "--in-place", "-j", "2", root.path]
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let names = try FileManager.default.contentsOfDirectory(atPath: root.path)
            if names.contains(where: { $0.hasPrefix(".hanfix-tmp-") }) { sawLeftover = true }
            for index in 0..<3 {
                let text = Self.text(root, "big\(index).txt")
                #expect(text == big || text == converted || text == converted.replacingOccurrences(of: "軟體", with: "軟件"),
                        "big\(index).txt is wholly old or new after a kill at \(delay) µs")
            }
        }
        #expect(sawLeftover, "a kill landed while a file was being written")
        _ = try HanFixProcess.run(["-c", "s2t", "--in-place", root.path])
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.contains(".hanfix-tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}

@Suite("Bulk preview and record modes")
struct BulkPreviewTests {
    @Test("--diff prints a unified diff that patch can apply, and writes nothing")
    func diff() throws {
        let root = try BulkConversionTests.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        let result = try HanFixProcess.run(["-c", "s2t", "--diff", root.appendingPathComponent("a.txt").path])
        #expect(result.status == 1)
        #expect(result.outputText.contains("@@ -1 +1 @@\n-头发和计算机\n+頭髮和計算機\n"))
        #expect(BulkConversionTests.text(root, "a.txt") == "头发和计算机\n")
    }

    @Test("--line-mode answers each line at once, one output line per input line, even for a bad byte")
    func lineMode() throws {
        let result = try HanFixProcess.run(["-c", "s2t", "--line-mode"], input: Data([0xE5, 0xA4, 0xB4, 0xFF, 0x0A, 0x61, 0x0A]))
        #expect(result.status == 0)
        #expect(result.outputText == "頭\u{FFFD}\na\n")
    }
}

@Suite("Renaming")
struct RenameTests {
    @Test("--rename converts file and folder names, lists them under --check, and keeps a name that would collide")
    func rename() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("hanfix-rename-\(UUID())")
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base.appendingPathComponent("软件/数据"), withIntermediateDirectories: true)
        try Data("头发\n".utf8).write(to: base.appendingPathComponent("软件/数据/计算机.txt"))
        try Data("x\n".utf8).write(to: base.appendingPathComponent("头发.txt"))
        try Data("y\n".utf8).write(to: base.appendingPathComponent("頭髮.txt"))  // 头发.txt would collide
        let dryRun = try HanFixProcess.run(["-c", "s2t", "--check", "--rename", base.path])
        #expect(dryRun.outputText.contains("→ \(base.path)/软件/数据/計算機.txt"))
        #expect(dryRun.standardError.contains("not renaming") && dryRun.standardError.contains("the target exists"))
        #expect(FileManager.default.fileExists(atPath: base.appendingPathComponent("软件/数据/计算机.txt").path))
        let result = try HanFixProcess.run(["-c", "s2t", "--in-place", "--rename", base.path])
        #expect(result.status == 0)
        #expect(BulkConversionTests.text(base, "軟件/數據/計算機.txt") == "頭髮\n")
        #expect(BulkConversionTests.text(base, "头发.txt") == "x\n" && BulkConversionTests.text(base, "頭髮.txt") == "y\n")
    }
}

@Suite("Bulk options")
struct BulkOptionTests {
    @Test("--preserve-times keeps the modification time; --backup keeps the old file")
    func timesAndBackup() throws {
        let root = try BulkConversionTests.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        let file = root.appendingPathComponent("a.txt")
        let old = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: file.path)
        let result = try HanFixProcess.run(["-c", "s2t", "--in-place", "--preserve-times", "--backup", ".orig", file.path])
        #expect(result.status == 0)
        let modified = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        #expect(modified == old)
        #expect(BulkConversionTests.text(root, "a.txt") == "頭髮和計算機\n")
        #expect(BulkConversionTests.text(root, "a.txt.orig") == "头发和计算机\n")
    }

    @Test("Without a write mode, a folder's files are printed converted, in order, as cat would")
    func catMode() throws {
        let root = try BulkConversionTests.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        let result = try HanFixProcess.run(["-c", "s2t", "--include", "*.txt", "--exclude", "gbk.txt", root.path])
        #expect(result.status == 0)
        #expect(result.outputText == "頭髮和計算機\nASCII only\n")
        // What the walk leaves out is said, unless --quiet.
        #expect(result.standardError.contains("skipped") && result.standardError.contains("symbolic link"))
        let quiet = try HanFixProcess.run(["-c", "s2t", "--quiet", "--include", "*.txt", "--exclude", "gbk.txt", root.path])
        #expect(quiet.outputText == result.outputText && quiet.standardError.isEmpty)
        // A binary file found in a folder is left out, as in the write modes.
        let everything = try HanFixProcess.run(["-c", "s2t", root.path])
        #expect(everything.status == 0 && !everything.standardOutput.contains(0))
        #expect(everything.standardError.contains("bin.dat: binary"))
    }

    @Test("Write modes exclude each other, and standard input cannot be written in place")
    func usage() throws {
        #expect(try HanFixProcess.run(["--in-place", "--check", "x"]).status == 64)
        #expect(try HanFixProcess.run(["--json", "x"]).status == 64)
        #expect(try HanFixProcess.run(["--in-place"]).status == 64)
    }
}

@Suite("Progress")
struct ProgressTests {
    @Test("On a terminal a live progress line appears; off a terminal, only the summary",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressLine() throws {
        let root = try BulkConversionTests.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        // script(1) gives hanfix a pseudo-terminal for its standard error.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", "\(HanFixProcess.executable.path) -c s2t --check \(root.path) >/dev/null", "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("files, ") && text.contains("MB/s") && text.contains("would change"))
        let offTerminal = try HanFixProcess.run(["-c", "s2t", "--check", root.path])
        #expect(!offTerminal.standardError.contains("MB/s") && offTerminal.standardError.contains("would change"))
    }
}

@Suite("Bulk damage")
struct BulkDamageTests {
    @Test("--fail-on-damage in a bulk run exits 1 naming the first damaged file")
    func failOnDamage() throws {
        let root = try BulkConversionTests.makeTree()
        defer { BulkConversionTests.removeTree(root) }
        try Data("好锟斤拷锟斤拷\n".utf8).write(to: root.appendingPathComponent("damaged.txt"))
        let result = try HanFixProcess.run(["repair", "--check", "--fail-on-damage", root.path])
        #expect(result.status == 1 && result.standardError.contains("damaged.txt"))
        #expect(try HanFixProcess.run(["repair", "--check", root.appendingPathComponent("sub/same.txt").path, "--fail-on-damage"]).status == 0)
    }
}
