import Foundation
@testable import HanFix
import Testing

/// One case of the repair corpus (`repair-cases.jsonl`, generated from real text by
/// `scripts/generate-repair-cases.py`, and `repair-cases-hand.jsonl`), in the spirit of ftfy's
/// test cases: damaged text, what HanFix must make of it, and whether it is expected to.
struct RepairCase: CustomTestStringConvertible, Sendable {
    let label: String
    let recipe: String
    /// whole, partial, lossy, negative or damage.
    let kind: String
    let original: String
    let fixed: String
    /// "pass", or "fail" for a known limitation.
    let expect: String
    /// The damage that must be reported, for damage and lossy cases.
    let damage: String?

    var testDescription: String { label }

    /// Both corpus files. They are split at "\n" only: the text holds U+0085 and U+2028.
    static let all: [RepairCase] = ["repair-cases.jsonl", "repair-cases-hand.jsonl"].flatMap { name in
        Fixtures.text(name).split(separator: "\n", omittingEmptySubsequences: true).map { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: String]
            return RepairCase(label: object["label"]!, recipe: object["recipe"]!, kind: object["kind"]!,
                              original: object["original"]!, fixed: object["fixed"]!, expect: object["expect"]!,
                              damage: object["damage"])
        }
    }

    /// The case repaired by the default pipeline, with its reports.
    func run(chunkSizes: [Int] = [1 << 20]) throws -> (output: String, events: [RepairEvent]) {
        var events: [RepairEvent] = []
        var stream = try TextPipeline().makeStream { events.append($0) }
        let output = try stream.run(Array(original.utf8), chunkSizes: chunkSizes)
        return (String(decoding: output, as: UTF8.self), events)
    }
}
