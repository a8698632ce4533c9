import Foundation
import HanFixTableCompiler

// Rebuilds Data/tables/compiled/hanfix.tables from the sources in Data/tables.
// Usage: swift run hanfix-tables [TABLES_DIR]   (default: ./Data/tables)
let arguments = CommandLine.arguments.dropFirst()
let tables = URL(fileURLWithPath: arguments.first ?? "Data/tables")
do {
    let bytes = try TableCompiler.compile(tablesDirectory: tables)
    let output = tables.appendingPathComponent("compiled/hanfix.tables")
    try FileManager.default.createDirectory(
        at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: output, options: .atomic)
    print("wrote \(output.path): \(bytes.count) bytes")
} catch {
    FileHandle.standardError.write(Data("hanfix-tables: \(error)\n".utf8))
    exit(1)
}
