// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "HanFix",
    products: [
        .library(name: "HanFix", targets: ["HanFix"]),
        .executable(name: "hanfix", targets: ["hanfix"]),
        .executable(name: "hanfix-tables", targets: ["hanfix-tables"]),
    ],
    targets: [
        // System ICU, reached through a C shim whose public header uses only <stdint.h>
        // types: Foundation bundles its own ICU, so ICU headers must never meet Swift. The
        // shim loads ICU with dlopen on first use (see hanfix_icu.c), so nothing links it.
        .target(name: "CHanFixICU", linkerSettings: [.linkedLibrary("dl")]),
        // The compiled tables, embedded with C23 `#embed` so that no text is parsed at startup.
        .target(name: "CHanFixTables"),
        // The binary layout of the compiled tables, shared by their reader and their writer.
        .target(name: "HanFixTableFormat"),
        .target(
            name: "HanFix",
            dependencies: ["CHanFixICU", "CHanFixTables", "HanFixTableFormat"]
        ),
        // Compiles the Data/tables sources into Data/tables/compiled/hanfix.tables.
        .target(name: "HanFixTableCompiler", dependencies: ["HanFixTableFormat"]),
        .executableTarget(name: "hanfix-tables", dependencies: ["HanFixTableCompiler"]),
        // The command-line tool: a thin layer over the library, with its own small argument
        // parser (Sources/hanfix/Arguments) so that it starts in a few milliseconds.
        .executableTarget(name: "hanfix", dependencies: ["HanFix"]),
        .executableTarget(name: "hanfix-bench", dependencies: ["HanFix"], path: "Benchmarks/hanfix-bench"),
        .executableTarget(name: "hanfix-repair-eval", dependencies: ["HanFix"], path: "Benchmarks/hanfix-repair-eval"),
        .testTarget(
            name: "HanFixTests",
            dependencies: ["HanFix", "HanFixTableCompiler", "HanFixTableFormat", "CHanFixICU"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "HanFixEndToEndTests",
            dependencies: ["hanfix"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
