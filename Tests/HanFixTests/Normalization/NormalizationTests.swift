@testable import HanFix
import Testing

@Suite("Normalization")
struct NormalizationTests {
    let radicals = TextNormalizer()

    @Test("Kangxi radicals and supplement radicals in Han text become unified ideographs")
    func radicalsInHanText() {
        #expect(radicals.normalize("⾦融与⼈民") == "金融与人民")
        #expect(radicals.normalize("⻓江") == "长江")  // CJK Radicals Supplement U+2ED3
        #expect(radicals.normalize("中⼈") == "中人")
        #expect(radicals.normalize("⼈⼝民") == "人口民")  // a Han character after two radicals
    }

    @Test("Radicals standing alone, as in a list of radicals, stay")
    func radicalsAlone() {
        for text in ["⼈ ⼊ ⼋", "部首：⼈", "radical ⼈", "⼈"] {
            #expect(radicals.normalize(text) == text)
        }
    }

    @Test("Compatibility ideographs are unified only when asked; the twelve unified ones never change")
    func compatibilityIdeographs() {
        let unify = TextNormalizer(options: [.radicals, .compatibilityIdeographs])
        #expect(radicals.normalize("壹貳參四") == "壹貳參四")
        #expect(unify.normalize("壹貳參四") == "壹貳參四")
        #expect(unify.normalize("\u{2F800}") == "\u{4E3D}")
        let unified = [0xFA0E, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F, 0xFA21, 0xFA23, 0xFA24, 0xFA27, 0xFA28, 0xFA29]
        let text = String(String.UnicodeScalarView(unified.map { Unicode.Scalar($0)! }))
        #expect(unify.normalize(text) == text)
    }

    @Test("Width folding: fullwidth letters and digits only; CJK punctuation and U+3000 stay")
    func widthFolding() {
        let fold = TextNormalizer(options: [.foldWidth])
        #expect(fold.normalize("ＡＢＣ１２３ｘｙｚ") == "ABC123xyz")
        let punctuation = "，。（）：、「」\u{3000}！？"
        #expect(fold.normalize(punctuation) == punctuation)
        #expect(radicals.normalize("ＡＢＣ") == "ＡＢＣ")
    }

    @Test("Unescaping: numeric and named entities, \\u escapes and surrogate pairs; malformed ones stay")
    func unescaping() {
        let unescape = TextNormalizer(options: [.unescape])
        #expect(unescape.normalize("&#21457;&#x5C55; &amp; &lt;b&gt; &ldquo;x&rdquo;") == "发展 & <b> “x”")
        #expect(unescape.normalize(#"\u53D1\u5c55 \uD83D\uDE00"#) == "发展 😀")
        for text in ["&#;", "&nosuch;", "&#xD800;", #"\uD800"#, #"\u12"#, "& amp;", "&#1114112;"] {
            #expect(unescape.normalize(text) == text, "\(text)")
        }
        #expect(radicals.normalize("&amp;") == "&amp;")
    }

    @Test("The stream gives the same result however the input is chunked")
    func chunkIndependence() throws {
        let text = "⾦融&#21457;\\u5C55 ＡＢ⼈ ⼊\n中⼈⼝民&amp;" + String(repeating: "文", count: 30) + "⼈"
        let options: TextNormalizer.Options = [.radicals, .foldWidth, .unescape, .compatibilityIdeographs]
        let expected = TextNormalizer(options: options).normalize(text)
        #expect(expected.hasPrefix("金融发展 AB⼈ ⼊\n中人口民&"))
        for sizes in [[1], [2], [3, 7], [5]] {
            var stream = try TextPipeline(annotations: nil, mojibake: false, normalization: options).makeStream()
            let output = String(decoding: try stream.run(Array(text.utf8), chunkSizes: sizes), as: UTF8.self)
            #expect(output == expected,
                    "chunks \(sizes)")
        }
    }
}
