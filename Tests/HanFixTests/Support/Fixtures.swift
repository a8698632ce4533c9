import Foundation
@testable import HanFix
import Testing

/// Test data committed under Tests/HanFixTests/Fixtures and Data/tables.
enum Fixtures {
    static let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    /// The repository root, found from this file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func data(_ name: String) -> Data {
        FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)!
    }

    static func text(_ name: String) -> String {
        String(decoding: data(name), as: UTF8.self)
    }

    /// One expected conversion from OpenCC 1.4.2's testcases.json.
    struct ParityCase: CustomTestStringConvertible, Sendable {
        let id: String
        let configuration: ConversionConfiguration
        let input: String
        let expected: String

        var testDescription: String { "\(id) \(configuration.rawValue)" }
    }

    /// Every case × config pair of OpenCC's testcases.json. The file is JSON with trailing
    /// commas (as OpenCC ships it), which are removed before parsing.
    static let openCCCases: [ParityCase] = {
        let raw = text("opencc-testcases.json")
        let strict = raw.replacingOccurrences(of: #",(\s*[}\]])"#, with: "$1", options: .regularExpression)
        let root = try! JSONSerialization.jsonObject(with: Data(strict.utf8)) as! [String: Any]
        var cases: [ParityCase] = []
        for entry in root["cases"] as! [[String: Any]] {
            let input = entry["input"] as! String
            for (name, expected) in (entry["expected"] as! [String: String]).sorted(by: { $0.key < $1.key }) {
                cases.append(ParityCase(id: entry["id"] as! String,
                                        configuration: ConversionConfiguration(rawValue: name)!,
                                        input: input, expected: expected))
            }
        }
        return cases
    }()

    /// Real text in both scripts for property tests: OpenCC's test inputs plus the committed
    /// samples.
    static let sampleTexts: [String] = {
        let cases = Set(openCCCases.map(\.input)).sorted().joined(separator: "\n")
        return [cases, text("sample-zh-hans.txt"), text("sample-zh-hant.txt")]
    }()
}

extension TextStream {
    /// Runs `input` through the stream in chunks of the given sizes (cycling), then finishes.
    mutating func run(_ input: [UInt8], chunkSizes: [Int]) throws -> [UInt8] {
        var output: [UInt8] = []
        var offset = 0
        var index = 0
        while offset < input.count {
            let size = max(1, chunkSizes[index % chunkSizes.count])
            let end = min(input.count, offset + size)
            try process(Array(input[offset..<end])) { output.append(contentsOf: $0) }
            offset = end
            index += 1
        }
        try finish { output.append(contentsOf: $0) }
        return output
    }
}
