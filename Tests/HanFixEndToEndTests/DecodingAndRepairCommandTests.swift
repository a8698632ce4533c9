import Foundation
import Testing

@Suite("Decoding, encoding and repair from the command line")
struct DecodingAndRepairCommandTests {
    @Test("By default the encoding is detected: GBK and Big5 files come out as UTF-8")
    func autoDetection() throws {
        let gbk = Data([0xC9, 0xE7, 0xC7, 0xF8, 0xB7, 0xA2, 0xD5, 0xB9, 0x0A])  // 社区发展
        let result = try HanFixProcess.run(["-c", "s2t"], input: gbk)
        #expect(result.status == 0 && result.outputText == "社區發展\n")
        let big5 = Data([0xBB, 0x4F, 0xC6, 0x57, 0xAA, 0xBA, 0xAA, 0xC0, 0xB0, 0xCF, 0x0A])  // 臺灣的社區
        #expect(try HanFixProcess.run(["repair"], input: big5).outputText == "臺灣的社區\n")
    }

    @Test("--to-encoding writes GB18030; a character Big5 lacks exits 65 naming it and its offset")
    func outputEncoding() throws {
        let result = try HanFixProcess.run(["--to-encoding", "GB18030"], input: Data("社区\n".utf8))
        #expect(result.standardOutput == Data([0xC9, 0xE7, 0xC7, 0xF8, 0x0A]))
        let failed = try HanFixProcess.run(["--to-encoding", "Big5"], input: Data("社区\n".utf8))
        #expect(failed.status == 65)
        #expect(failed.standardError.contains("U+533A") && failed.standardError.contains("byte offset 3"))
        let replaced = try HanFixProcess.run(["--to-encoding", "Big5", "--unmappable", "replace"], input: Data("社区\n".utf8))
        #expect(replaced.status == 0 && replaced.standardOutput.count == 4)
    }

    @Test("Mojibake is repaired by default and explained; --no-mojibake keeps it")
    func mojibake() throws {
        let input = Data("标题：鍙戝睍规划\nç¤¾åŒº\n".utf8)
        let result = try HanFixProcess.run(["repair", "--explain"], input: input)
        #expect(result.outputText == "标题：发展规划\n社区\n")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("\"rule\":\"mojibake\"") && $0.contains("\"score\"") })
        #expect(try HanFixProcess.run(["repair", "--no-mojibake"], input: input).standardOutput == input)
    }

    @Test("-c repairs pinyin notes only; --full-repair mends mojibake and radicals before converting")
    func fullRepair() throws {
        let input = Data("鍙戝睍⾦融 社區(qū)\n".utf8)
        let notesOnly = try HanFixProcess.run(["-c", "t2s"], input: input).outputText
        #expect(notesOnly.hasPrefix("鍙戝") && notesOnly.hasSuffix("⾦融 社区\n"))
        #expect(try HanFixProcess.run(["-c", "t2s", "--full-repair"], input: input).outputText == "发展金融 社区\n")
    }

    @Test("--fail-on-damage writes everything, then exits 1 naming the first damage")
    func failOnDamage() throws {
        let input = Data("好的\n锟斤拷锟斤拷\n".utf8)
        let result = try HanFixProcess.run(["repair", "--fail-on-damage"], input: input)
        #expect(result.status == 1)
        #expect(result.standardOutput == input)
        #expect(result.standardError.contains("byte offset 7") && result.standardError.contains("kunjinkao"))
        #expect(try HanFixProcess.run(["repair"], input: input).status == 0)
    }

    @Test("hanfix detect reports encoding, script and repairs, as text or JSON")
    func detect() throws {
        let gbk = Data([0xC9, 0xE7, 0xC7, 0xF8, 0xB7, 0xA2, 0xD5, 0xB9, 0x0A])
        let text = try HanFixProcess.run(["detect"], input: gbk)
        #expect(text.status == 0)
        #expect(text.outputText.contains("GB18030") && text.outputText.contains("Hans"))
        let json = try HanFixProcess.run(["detect", "--json", HanFixProcess.fixture("annotated-web-page.txt").path])
        let object = try JSONSerialization.jsonObject(with: Data(json.outputText.utf8)) as? [String: Any]
        #expect(object?["encoding"] as? String == "UTF-8" && object?["script"] as? String == "Hant")
        #expect((object?["annotations"] as? Int ?? 0) > 40)
        #expect(try HanFixProcess.run(["detect", "/nonexistent/file"]).status == 66)
        // One ill-formed byte is damage to report, not a failure.
        let damaged = try HanFixProcess.run(["detect", "--json"], input: Data(Array("汉字汉字汉字".utf8) + [0xFF] + Array("汉字\n".utf8)))
        #expect(damaged.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(damaged.outputText.utf8)) as? [String: Any]
        #expect(report?["encoding"] as? String == "UTF-8" && (report?["damage"] as? Int ?? 0) >= 1)
    }
}
