import Foundation
import Testing

@Suite("hanfix command line")
struct CommandLineTests {
    @Test("-c s2t converts standard input to standard output")
    func filter() throws {
        let result = try HanFixProcess.run(["-c", "s2t"], input: Data("头发和发展\n".utf8))
        #expect(result.status == 0)
        #expect(result.outputText == "頭髮和發展\n")
    }

    @Test("Files are read in order and -o writes the result")
    func filesAndOutput() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanfix-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = directory.appendingPathComponent("a.txt"), second = directory.appendingPathComponent("b.txt")
        try Data("后面\n".utf8).write(to: first)
        try Data("里面\n".utf8).write(to: second)
        let output = directory.appendingPathComponent("out.txt")
        let result = try HanFixProcess.run(["-c", "s2t", first.path, "-", second.path, "-o", output.path],
                                           input: Data("中间\n".utf8))
        #expect(result.status == 0)
        #expect(try String(contentsOf: output, encoding: .utf8) == "後面\n中間\n裏面\n")
    }

    @Test("The committed sample converts as OpenCC does")
    func sample() throws {
        let result = try HanFixProcess.run(["-c", "s2twp", HanFixProcess.fixture("sample-zh-hans.txt").path])
        #expect(result.status == 0)
        #expect(result.outputText.contains("請把計算機裡的軟體更新一下，然後用滑鼠點選“確定”按鈕。"))
    }

    @Test("Invalid UTF-8 exits 65 and names the byte offset")
    func invalidUTF8() throws {
        let result = try HanFixProcess.run(["-c", "t2s"], input: Data([0x61, 0x62, 0xFF, 0x63]))
        #expect(result.status == 65)
        #expect(result.standardError.contains("byte offset 2"))
    }

    @Test("--invalid=replace and --invalid=pass")
    func invalidPolicies() throws {
        let input = Data([0x61, 0xFF, 0x62])
        let replaced = try HanFixProcess.run(["-c", "t2s", "--invalid", "replace"], input: input)
        #expect(replaced.status == 0 && replaced.outputText == "a\u{FFFD}b")
        let passed = try HanFixProcess.run(["-c", "t2s", "--invalid", "pass"], input: input)
        #expect(passed.status == 0 && passed.standardOutput == input)
    }

    @Test("Each input file is decoded in its own encoding, and errors and reports name the file")
    func filesOfMixedEncodings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hanfix-e2e-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "这是一段用国标码保存的简体中文文本，用来测试编码检测是否正确。\n"
        let gbk = directory.appendingPathComponent("gbk.txt"), utf8 = directory.appendingPathComponent("utf8.txt")
        try Data([0xD5, 0xE2, 0xCA, 0xC7, 0xD2, 0xBB, 0xB6, 0xCE, 0xD3, 0xC3, 0xB9, 0xFA, 0xB1, 0xEA, 0xC2, 0xEB,
                  0xB1, 0xA3, 0xB4, 0xE6, 0xB5, 0xC4, 0xBC, 0xF2, 0xCC, 0xE5, 0xD6, 0xD0, 0xCE, 0xC4, 0xCE, 0xC4,
                  0xB1, 0xBE, 0xA3, 0xAC, 0xD3, 0xC3, 0xC0, 0xB4, 0xB2, 0xE2, 0xCA, 0xD4, 0xB1, 0xE0, 0xC2, 0xEB,
                  0xBC, 0xEC, 0xB2, 0xE2, 0xCA, 0xC7, 0xB7, 0xF1, 0xD5, 0xFD, 0xC8, 0xB7, 0xA1, 0xA3, 0x0A]).write(to: gbk)
        try Data(text.utf8).write(to: utf8)
        for order in [[gbk, utf8], [utf8, gbk]] {
            let result = try HanFixProcess.run(["repair"] + order.map(\.path))
            #expect(result.status == 0, "\(result.standardError)")
            #expect(result.outputText == text + text)
        }
        let bad = directory.appendingPathComponent("bad.txt")
        try Data([0x61, 0xFF, 0x0A]).write(to: bad)
        let failed = try HanFixProcess.run(["-c", "s2t", "--from", "UTF-8", utf8.path, bad.path])
        #expect(failed.status == 65)
        #expect(failed.standardError.contains(bad.path) && failed.standardError.contains("byte offset 1"))
        let explained = try HanFixProcess.run(["repair", "--explain", utf8.path, bad.path, "--invalid", "replace"])
        #expect(explained.standardError.split(separator: "\n").allSatisfy { $0.hasPrefix("{\"file\":") })
        // A missing file stops the run, but what the earlier files produced, and their
        // reports, are kept.
        let report = directory.appendingPathComponent("report.jsonl")
        let stopped = try HanFixProcess.run(["repair", "--invalid", "replace", "--explain=\(report.path)",
                                              bad.path, "/nonexistent/input.txt"])
        #expect(stopped.status == 66 && stopped.outputText == "a\u{FFFD}\n")
        #expect(try String(contentsOf: report, encoding: .utf8).contains("replacement-character"))
        // One byte-order mark for the whole output, not one per file.
        let utf16 = try HanFixProcess.run(["--to-encoding", "UTF-16", utf8.path, utf8.path])
        #expect(utf16.status == 0)
        let bytes = [UInt8](utf16.standardOutput)
        let bigEndian = bytes.prefix(2) == [0xFE, 0xFF]
        #expect(bigEndian || bytes.prefix(2) == [0xFF, 0xFE])
        #expect(bytes.count == 2 + 2 * 2 * text.utf16.count)
        let units = stride(from: 2, to: bytes.count - 1, by: 2).map { (index: Int) -> UInt16 in
            let (high, low) = bigEndian ? (bytes[index], bytes[index + 1]) : (bytes[index + 1], bytes[index])
            return UInt16(high) << 8 | UInt16(low)
        }
        #expect(String(decoding: units, as: UTF16.self) == text + text)
    }

    @Test("A missing input file exits 66 with its name")
    func missingFile() throws {
        let result = try HanFixProcess.run(["-c", "s2t", "/nonexistent/input.txt"])
        #expect(result.status == 66)
        #expect(result.standardError.contains("/nonexistent/input.txt"))
    }

    @Test("An unknown config is a usage error")
    func unknownConfig() throws {
        let result = try HanFixProcess.run(["-c", "s2x"])
        #expect(result.status == 64)
    }

    @Test("--list-configs names all 16 configs")
    func listConfigs() throws {
        let result = try HanFixProcess.run(["--list-configs"])
        #expect(result.status == 0)
        #expect(result.outputText.split(separator: "\n").count == 16)
    }

    @Test("Without -c the text is validated and copied")
    func noConversion() throws {
        let result = try HanFixProcess.run([], input: Data("头发 頭髮\n".utf8))
        #expect(result.status == 0 && result.outputText == "头发 頭髮\n")
    }

    @Test("--line-buffered answers each line before the input ends")
    func lineBuffered() throws {
        let process = Process()
        process.executableURL = HanFixProcess.executable
        process.arguments = ["-c", "s2t", "--line-buffered"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        defer { try? stdin.fileHandleForWriting.close(); process.waitUntilExit() }
        stdin.fileHandleForWriting.write(Data("头发\n".utf8))
        // The line must come back while standard input is still open.
        let line = try readLine(from: stdout.fileHandleForReading, timeout: 10)
        #expect(line == "頭髮\n")
    }

    private func readLine(from handle: FileHandle, timeout: TimeInterval) throws -> String {
        var collected = Data()
        let deadline = Date().addingTimeInterval(timeout)
        let descriptor = handle.fileDescriptor
        while Date() < deadline && !collected.contains(0x0A) {
            var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&pollDescriptor, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { break }
            collected.append(contentsOf: buffer[..<count])
        }
        return String(decoding: collected, as: UTF8.self)
    }
}

@Suite("hanfix repair")
struct RepairCommandTests {
    static let sample = HanFixProcess.fixture("annotated-web-page.txt").path

    @Test("hanfix repair strips the notes and keeps the script")
    func repair() throws {
        let result = try HanFixProcess.run(["repair", Self.sample])
        #expect(result.status == 0)
        #expect(result.outputText.contains("扎實推進社區治理"))
        #expect(!result.outputText.contains("(qū)"))
    }

    @Test("Without -c, hanfix repairs too")
    func defaultRepairs() throws {
        let result = try HanFixProcess.run([], input: Data("推進協(xié)同發(fā)展\n".utf8))
        #expect(result.outputText == "推進協同發展\n")
    }

    @Test("-c t2s repairs before converting; --no-repair and --annotations=keep do not")
    func convertAfterRepair() throws {
        let input = Data("推進社區(qū)治理\n".utf8)
        #expect(try HanFixProcess.run(["-c", "t2s"], input: input).outputText == "推进社区治理\n")
        #expect(try HanFixProcess.run(["-c", "t2s", "--no-repair"], input: input).outputText == "推进社区(qū)治理\n")
        #expect(try HanFixProcess.run(["-c", "t2s", "--annotations", "keep"], input: input).outputText
                == "推进社区(qū)治理\n")
    }

    @Test("--explain writes one JSON line per change to stderr, --explain=FILE to a file")
    func explain() throws {
        let input = Data("推進社區(qū)治理，銀行(háng)\n".utf8)
        let result = try HanFixProcess.run(["repair", "--explain"], input: input)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"{"offset":9,"span":[9,17],"original":"區(qū)","replacement":"區","rule":"pinyin-annotation""#) == true)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("explain-\(UUID()).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try HanFixProcess.run(["repair", "--explain=\(file.path)"], input: input)
        #expect(try String(contentsOf: file, encoding: .utf8).split(separator: "\n").count == 1)
    }
}

@Suite("hanfix --from")
struct InputEncodingCommandTests {
    @Test("--from GB18030 decodes before converting; a bad byte exits 65 with its offset")
    func fromGB18030() throws {
        let gb18030 = Data([183, 162, 213, 185, 0x0A])  // 发展\n
        let result = try HanFixProcess.run(["-c", "s2t", "--from", "GB18030"], input: gb18030)
        #expect(result.status == 0 && result.outputText == "發展\n")
        let bad = try HanFixProcess.run(["--from", "GB18030"], input: Data([183, 162, 0x80, 0x0A]))
        #expect(bad.status == 65)
        #expect(bad.standardError.contains("byte offset 2"))
    }

    @Test("An unknown encoding is a usage error")
    func unknownEncoding() throws {
        let result = try HanFixProcess.run(["--from", "no-such-charset"], input: Data("x".utf8))
        #expect(result.status == 64)
        #expect(result.standardError.contains("unknown encoding"))
    }
}

@Suite("hanfix failures keep earlier output")
struct FailureOutputTests {
    @Test("A missing second file exits 66 after writing the first one's output")
    func missingSecondFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("first-\(UUID()).txt")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("头发\n".utf8).write(to: file)
        let result = try HanFixProcess.run(["-c", "s2t", file.path, "/nonexistent/second.txt"])
        #expect(result.status == 66)
        #expect(result.outputText == "頭髮\n")
    }

    @Test("--jobs beyond the limit is a usage error")
    func tooManyJobs() throws {
        #expect(try HanFixProcess.run(["-c", "s2t", "-j", "1000"], input: Data("x".utf8)).status == 64)
    }
}
