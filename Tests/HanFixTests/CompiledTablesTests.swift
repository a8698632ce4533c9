import Foundation
import HanFixTableCompiler
import Testing

@Suite("Compiled tables")
struct CompiledTablesTests {
    /// The committed binary must be exactly what the sources compile to; otherwise someone
    /// edited a dictionary without running `swift run hanfix-tables`.
    @Test("Data/tables/compiled/hanfix.tables matches its sources")
    func committedTablesAreFresh() throws {
        let tables = Fixtures.repositoryRoot.appendingPathComponent("Data/tables")
        let compiled = try TableCompiler.compile(tablesDirectory: tables)
        let committed = try Data(contentsOf: tables.appendingPathComponent("compiled/hanfix.tables"))
        let firstDifference = zip(compiled, committed).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(compiled.count == committed.count && firstDifference == nil,
                "differs at byte \(firstDifference ?? min(compiled.count, committed.count)): run `swift run hanfix-tables` and commit the result")
    }

    @Test("A malformed dictionary line is reported with its file and line")
    func malformedLineIsReported() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("hanfix-tables-\(UUID().uuidString)")
        let config = directory.appendingPathComponent("opencc/config")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(#"{"name":"t","conversion_chain":[{"dict":{"type":"text","file":"D.txt"}}]}"#.utf8)
            .write(to: config.appendingPathComponent("t.json"))
        try Data("# comment\n汉\t漢\n坏行没有制表符\n".utf8)
            .write(to: directory.appendingPathComponent("opencc/D.txt"))
        #expect {
            try TableCompiler.compile(tablesDirectory: directory)
        } throws: { error in
            String(describing: error).hasPrefix("D.txt:3:")
        }
    }
}
