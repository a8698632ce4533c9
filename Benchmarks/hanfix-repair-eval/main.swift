import Foundation
import HanFix

// Evaluates repair on a case file in the format of Tests/HanFixTests/Fixtures/repair-cases.jsonl
// (label, recipe, kind, original, fixed, expect[, damage]), such as the held-out set that
//   python3 scripts/generate-repair-cases.py --eval 200 --out /tmp/repair-eval.jsonl
// writes. Each case runs through the default repair pipeline, as `hanfix repair` does.
//
//   swift run -c release hanfix-repair-eval CASES.jsonl
//
// Prints one TSV row per recipe and kind: cases, exactly restored, rate; for damage cases, how
// many were reported; for negative cases, how many came out changed (must be 0).

guard CommandLine.arguments.count == 2, let data = FileManager.default.contents(atPath: CommandLine.arguments[1]) else {
    FileHandle.standardError.write(Data("usage: hanfix-repair-eval CASES.jsonl\n".utf8))
    exit(2)
}

struct Tally {
    var cases = 0
    var restored = 0
    var damageReported = 0
}

var tallies: [String: Tally] = [:]
var failures: [String] = []
for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.isEmpty {
    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
          let recipe = object["recipe"], let kind = object["kind"], let original = object["original"],
          let fixed = object["fixed"]
    else {
        FileHandle.standardError.write(Data("malformed case: \(line.prefix(80))\n".utf8))
        exit(2)
    }
    var events: [RepairEvent] = []
    var stream = try TextPipeline().makeStream { events.append($0) }
    var output: [UInt8] = []
    try stream.process(Array(original.utf8)) { output.append(contentsOf: $0) }
    try stream.finish { output.append(contentsOf: $0) }
    let key = "\(recipe)\t\(kind)"
    let restored = String(decoding: output, as: UTF8.self) == fixed
    tallies[key, default: Tally()].cases += 1
    tallies[key, default: Tally()].restored += restored ? 1 : 0
    if let damage = object["damage"], events.contains(where: { $0.isDamage && $0.reason == damage }) {
        tallies[key, default: Tally()].damageReported += 1
    }
    if !restored { failures.append("\(object["label"] ?? "?")\t\(original)\t→ \(String(decoding: output, as: UTF8.self))") }
}

print("recipe\tkind\tcases\trestored\trate\tdamage_reported")
for (key, tally) in tallies.sorted(by: { $0.key < $1.key }) {
    let rate = String(format: "%.1f%%", 100 * Double(tally.restored) / Double(tally.cases))
    print("\(key)\t\(tally.cases)\t\(tally.restored)\t\(rate)\t\(tally.damageReported)")
}
if !failures.isEmpty {
    FileHandle.standardError.write(Data(("not restored:\n" + failures.joined(separator: "\n") + "\n").utf8))
}
