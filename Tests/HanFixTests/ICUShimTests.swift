import CHanFixICU
import Testing

/// The C shim loads system ICU lazily; these tests load it and use its converters.
@Suite("ICU shim")
struct ICUShimTests {
    @Test("ICU loads on first use")
    func loads() {
        #expect(hanfix_icu_available() == 1)
    }

    @Test("GB18030 decodes to UTF-8, and an illegal sequence stops at its offset")
    func decodeGB18030() throws {
        var status: Int32 = 0
        let codec = try #require(hanfix_icu_codec_open("GB18030", &status))
        defer { hanfix_icu_codec_close(codec) }
        // 发展 in GB18030 (B7 A2 D5 B9), then 0x80 (illegal as a lead byte), then "a".
        let input: [UInt8] = [0xB7, 0xA2, 0xD5, 0xB9, 0x80, 0x61]
        var output = [UInt8](repeating: 0, count: 64)
        var consumed: Int32 = 0, privateUse: Int32 = 0
        let written = hanfix_icu_decode(codec, input, Int32(input.count), &output, Int32(output.count),
                                        1, &consumed, &status, &privateUse)
        #expect(privateUse == Int32.min)
        #expect(status == 2)
        #expect(consumed == 4)
        #expect(String(decoding: output[..<Int(written)], as: UTF8.self) == "发展")
    }

    @Test("An unknown encoding name is an error, not a crash")
    func unknownEncoding() {
        var status: Int32 = 0
        #expect(hanfix_icu_codec_open("no-such-charset", &status) == nil)
        #expect(status != 0)
    }

    @Test("Charset detection names a converter")
    func detect() {
        let text = Array("这是一个用于检测字符集的简体中文句子，长度足够让检测器做出判断。".utf8)
        var name = [CChar](repeating: 0, count: 64)
        let confidence = hanfix_icu_detect(text, Int32(text.count), &name, Int32(name.count))
        #expect(confidence > 0)
        let detected = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #expect(detected == "UTF-8")
    }
}
