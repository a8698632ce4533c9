@testable import HanFix
import Testing

@Suite("Mojibake repairer")
struct MojibakeRepairerTests {
    let repairer = MojibakeRepairer()

    @Test("Each recipe on its textbook example")
    func examples() {
        #expect(repairer.repair("ç¤¾åŒº") == "社区")
        #expect(repairer.repair("Ã§Â¤Â¾Ã¥Â\u{8C}Âº") == "社区")
        #expect(repairer.repair("鍙戝睍") == "发展")
        #expect(repairer.repair("ÉçÇø") == "社区")
        #expect(repairer.repair("許\\功\\蓋\\") == "許功蓋")
        #expect(repairer.repair("标题：鍙戝睍规划") == "标题：发展规划")
    }

    @Test("Clean text in many scripts is left alone")
    func cleanText() {
        for text in ["naïve café, Größe, año", "Ça va", "Καλημέρα κόσμε", "Привет, мир", "日本語のテキストです。",
                     "한국어 텍스트", "佢哋喺度食緊飯", "𠀀𪚥", "👨‍👩‍👧 emoji", "C:\\Users\\許\\Documents",
                     "printf(\"%s\\n\", \"許\");", "https://example.com/路径?q=中文", "温度 25°C ± 0.5", "咖啡café"] {
            #expect(repairer.repair(text) == text, "\(text)")
        }
    }

    @Test("Each repair is explained with its recipe and scores")
    func explained() throws {
        var events: [RepairEvent] = []
        var stream = try TextPipeline().makeStream { events.append($0) }
        _ = try stream.run(Array("标题：鍙戝睍规划\n".utf8), chunkSizes: [4])
        #expect(events.count == 1)
        #expect(events[0].offset == 9 && events[0].original == "鍙戝睍" && events[0].replacement == "发展")
        #expect(events[0].reason.hasPrefix("utf8-as-gbk"))
        #expect((events[0].scores?.after ?? 0) > (events[0].scores?.before ?? 0))
        #expect(events[0].jsonLine.contains("\"score\":{\"before\":"))
    }
}
