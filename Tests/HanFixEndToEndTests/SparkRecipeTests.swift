import Foundation
import Testing

/// The PySpark recipe in examples/spark, run for real in local mode. Opt-in (pyspark and Java
/// are heavy): set HANFIX_SPARK_PYTHON to a Python that has pyspark.
@Suite("Spark recipe", .enabled(if: ProcessInfo.processInfo.environment["HANFIX_SPARK_PYTHON"] != nil))
struct SparkRecipeTests {
    @Test("examples/spark converts every record, in order, one line each")
    func localMode() throws {
        let python = ProcessInfo.processInfo.environment["HANFIX_SPARK_PYTHON"]!
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("hanfix-spark-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let lines = (0..<2000).map { "第\($0)行：头发和计算机的软件" }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: work.appendingPathComponent("input.txt"))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/spark/convert_with_hanfix.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, work.appendingPathComponent("input.txt").path, work.appendingPathComponent("out").path,
                             "--config", "s2t", "--hanfix", HanFixProcess.executable.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let parts = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("out").path)
            .filter { $0.hasPrefix("part-") }.sorted()
        let output = try parts.map { try String(contentsOf: work.appendingPathComponent("out").appendingPathComponent($0), encoding: .utf8) }
            .joined()
        #expect(output == lines.map { $0.replacingOccurrences(of: "头发和计算机的软件", with: "頭髮和計算機的軟件") + "\n" }.joined())
    }
}
