@testable import HanFix
import Testing

@Suite("Protected spans and user dictionaries")
struct ProtectedSpanTests {
    func run(_ text: String, format: TextFormat = .plain, markup: Bool = false, dictionaries: [UserDictionary] = [],
             chunkSizes: [Int] = [1 << 20]) throws -> String {
        var pipeline = TextPipeline(conversion: .s2t)
        pipeline.format = format
        pipeline.markup = markup
        pipeline.userDictionaries = dictionaries
        var stream = try pipeline.makeStream()
        return String(decoding: try stream.run(Array(text.utf8), chunkSizes: chunkSizes), as: UTF8.self)
    }

    @Test("text: URLs (Chinese in them too) and e-mail addresses are left alone; the prose around them converts")
    func text() throws {
        #expect(try run("访问https://例子.com/软件。软件 a@软件.cn", format: .text) == "訪問https://例子.com/软件。軟件 a@软件.cn")
        #expect(try run("访问https://例子.com/软件。") == "訪問https://例子.com/軟件。", "plain protects nothing")
    }

    @Test("markdown: code spans and fenced blocks stay; html: tags, attributes and raw elements stay")
    func markdownAndHTML() throws {
        let markdown = "软件 `软件` ``软`件``\n```\n软件\n```\n~~~\n软件\n~~~\n软件\n"
        #expect(try run(markdown, format: .markdown) == "軟件 `软件` ``软`件``\n```\n软件\n```\n~~~\n软件\n~~~\n軟件\n")
        let html = "<p title=\"软件\">软件</p><pre>软件\n软件</pre><!-- 软件 -->软件\n<script>\nvar a = \"软件\";\n</script>软件\n"
        #expect(try run(html, format: .html)
                == "<p title=\"软件\">軟件</p><pre>软件\n软件</pre><!-- 软件 -->軟件\n<script>\nvar a = \"软件\";\n</script>軟件\n")
    }

    @Test("MediaWiki -{…}- keeps its contents verbatim, without the markers")
    func markup() throws {
        #expect(try run("软件 -{软件}- 软件", markup: true) == "軟件 软件 軟件")
        #expect(try run("软件 -{软件}-") == "軟件 -{軟件}-")
    }

    @Test("A user dictionary wins over the built-in tables; the first dictionary wins over the next")
    func userDictionary() throws {
        let first = try UserDictionary(tsv: "# terms\n内存\t記憶體\n软件\t軟體 软体\n", name: "first.tsv")
        let second = try UserDictionary(tsv: "软件\t软件\n程序\t程式\n", name: "second.tsv")
        #expect(try run("内存和软件的程序", dictionaries: [first, second]) == "記憶體和軟體的程式")
    }

    @Test("A malformed dictionary line is an error naming the file and line")
    func malformed() {
        #expect(throws: HanFixError.dictionary(file: "d.tsv", line: 2, reason: "expected a phrase, a tab and a value; found 1 fields")) {
            try UserDictionary(tsv: "内存\t記憶體\n坏行\n", name: "d.tsv")
        }
        #expect(throws: HanFixError.dictionary(file: "d.tsv", line: 1, reason: "the value is empty")) {
            try UserDictionary(tsv: "内存\t\n", name: "d.tsv")
        }
    }

    @Test("The result does not depend on chunk boundaries")
    func chunks() throws {
        let text = "<p>软件</p><pre>软件\n软件</pre> https://例子.com/软件 -{软件}- 内存\n```\n软件\n```\n软件"
        let dictionary = try UserDictionary(tsv: "内存\t記憶體\n", name: "d.tsv")
        for format in [TextFormat.html, .markdown] {
            let whole = try run(text, format: format, markup: true, dictionaries: [dictionary])
            for sizes in [[1], [2], [3, 7]] {
                #expect(try run(text, format: format, markup: true, dictionaries: [dictionary], chunkSizes: sizes) == whole)
            }
        }
    }
}
