@testable import HanFix
import Testing

/// The repair corpus: every recipe in both directions, whole-line and partial damage, lossy
/// tails, irreversible damage, and clean text in many scripts that must not change.
@Suite("Repair corpus")
struct RepairCorpusTests {
    @Test("Each case comes out as expected", arguments: RepairCase.all)
    func repairCase(_ testCase: RepairCase) throws {
        let (output, events) = try testCase.run()
        if testCase.expect == "pass" {
            #expect(output == testCase.fixed)
        } else {
            #expect(output != testCase.fixed, "a known failure now passes: mark it \"pass\"")
        }
        if let damage = testCase.damage {
            #expect(events.contains { $0.isDamage && $0.reason == damage }, "\(damage) is reported")
        }
        if testCase.kind == "negative" {
            #expect(events.allSatisfy { $0.isDamage }, "clean text is not changed")
        }
    }

    @Test("Repairs do not depend on chunk boundaries")
    func chunkIndependence() throws {
        for testCase in RepairCase.all where testCase.kind != "negative" {
            let whole = try testCase.run()
            for sizes in [[1], [2, 3], [7]] {
                let chunked = try testCase.run(chunkSizes: sizes)
                #expect(chunked.output == whole.output, "\(testCase.label), chunks \(sizes)")
                #expect(chunked.events == whole.events, "\(testCase.label), chunks \(sizes)")
            }
        }
    }

    @Test("A second pass changes nothing")
    func idempotence() throws {
        for testCase in RepairCase.all where testCase.expect == "pass" {
            let second = try RepairCase(label: testCase.label, recipe: testCase.recipe, kind: testCase.kind,
                                        original: testCase.fixed, fixed: testCase.fixed, expect: "pass", damage: nil).run()
            #expect(second.output == testCase.fixed, "\(testCase.label)")
        }
    }

    @Test("At least 99% of whole-line and 95% of partial cases are restored, per recipe")
    func rates() throws {
        var tally: [String: (passed: Int, total: Int)] = [:]
        for testCase in RepairCase.all where ["whole", "partial"].contains(testCase.kind) {
            let key = "\(testCase.recipe) \(testCase.kind)"
            let passed = try testCase.run().output == testCase.fixed
            tally[key, default: (0, 0)].passed += passed ? 1 : 0
            tally[key, default: (0, 0)].total += 1
        }
        #expect(tally.count >= 18)
        for (key, (passed, total)) in tally.sorted(by: { $0.key < $1.key }) {
            let required = key.hasSuffix("whole") ? 0.99 : 0.95
            #expect(Double(passed) >= required * Double(total), "\(key): \(passed)/\(total)")
        }
    }
}

@Suite("Parallel mojibake repair")
struct ParallelMojibakeRepairTests {
    @Test("Large chunks shared out among threads give the same output and reports as one thread")
    func sameAsSequential() throws {
        var lines = RepairCase.all.map(\.original)
        while lines.count < 6000 { lines += RepairCase.all.map(\.original) }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        func run(_ concurrency: Int, chunk: Int) throws -> ([UInt8], [RepairEvent]) {
            var events: [RepairEvent] = []
            var stream = try TextPipeline(concurrency: concurrency).makeStream { events.append($0) }
            return (try stream.run(input, chunkSizes: [chunk]), events)
        }
        let (sequential, sequentialEvents) = try run(1, chunk: 65536)
        #expect(sequentialEvents.count > 1000)
        for (threads, chunk) in [(2, 300_000), (3, 1 << 20), (2, 150_001)] {
            let (output, events) = try run(threads, chunk: chunk)
            #expect(output == sequential, "\(threads) threads, chunks of \(chunk)")
            #expect(events == sequentialEvents, "\(threads) threads, chunks of \(chunk)")
        }
    }
}
