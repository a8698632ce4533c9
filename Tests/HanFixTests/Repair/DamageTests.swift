@testable import HanFix
import Testing

@Suite("Damage")
struct DamageTests {
    func damage(in text: String, chunkSizes: [Int] = [1 << 20]) throws -> [RepairEvent] {
        var events: [RepairEvent] = []
        var stream = try TextPipeline().makeStream { events.append($0) }
        let output = try stream.run(Array(text.utf8), chunkSizes: chunkSizes)
        #expect(String(decoding: output, as: UTF8.self) == text, "damage is never changed")
        return events.filter(\.isDamage)
    }

    @Test("Each kind is reported with its offset and text, and the same in any chunking")
    func kinds() throws {
        let text = "甲\u{FFFD}\u{FFFD}乙 锟斤拷锟斤拷 烫烫烫 屯屯屯屯 我??你 是???\n"
        let found = try damage(in: text)
        #expect(found.map(\.reason) == ["replacement-character", "kunjinkao", "tangtang", "tuntun", "question-marks",
                                        "question-marks"])
        #expect(found[0].offset == 3 && found[0].original == "\u{FFFD}\u{FFFD}")
        #expect(found[1].original == "锟斤拷锟斤拷")
        for sizes in [[1], [2], [4, 1]] {
            #expect(try damage(in: text, chunkSizes: sizes) == found, "chunks \(sizes)")
        }
    }

    @Test("Punctuation that looks like damage is not: one or two ? after Han text, 烫烫 as a word")
    func notDamage() throws {
        for text in ["你好?", "真的??", "烫烫的水", "斤拷", "a ??? b", "https://example.com/?q=1"] {
            #expect(try damage(in: text).isEmpty, "\(text)")
        }
    }
}

@Suite("Damage across calls")
struct DamageAcrossCallsTests {
    @Test("A damage run cut by a long line's piece boundary or a chunk is reported once, at its offset")
    func acrossCalls() throws {
        let text = String(repeating: "a", count: 20_000) + "锟斤拷" + String(repeating: "a", count: 20_000) + "\n"
        for sizes in [[1 << 20], [20_001], [4096], [7]] {
            var events: [RepairEvent] = []
            var stream = try TextPipeline().makeStream { events.append($0) }
            _ = try stream.run(Array(text.utf8), chunkSizes: sizes)
            #expect(events.map(\.offset) == [20_000], "chunks \(sizes)")
        }
        var events: [RepairEvent] = []
        var stream = try TextPipeline().makeStream { events.append($0) }
        _ = try stream.run(Array("中文abc锟斤拷锟斤拷".utf8), chunkSizes: [1 << 20])
        #expect(events.map(\.offset) == [9], "a run open at the end of the stream")
    }
}
