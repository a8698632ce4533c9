import Foundation
import HanFixTableFormat

/// Builds the segmentation lexicon (``TableFormat/Lexicon``) from `lexicon/words.txt`:
/// lines of `word<TAB>count`, `#` comments, and one `# total: N` line giving the corpus size
/// the counts are out of (see `scripts/extract-lexicon.py`).
struct LexiconBuilder {
    /// Each word's scalars and cost.
    private(set) var words: [(scalars: [UInt32], cost: UInt32)] = []
    /// The cost of an unknown word: that of a word counted once.
    let unknownCost: UInt32
    /// Every scalar of every word: streams may not cut between them.
    private(set) var scalars: Set<UInt32> = []

    init(text: String, file: String) throws {
        var total: Double?
        var counted: [(String, Double)] = []
        for (index, line) in text.split(separator: "\n").enumerated() {
            if line.hasPrefix("# total: ") {
                total = Double(line.dropFirst("# total: ".count))
                continue
            }
            if line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t")
            guard fields.count == 2, let count = Double(fields[1]), count > 0,
                  (1...TableFormat.Lexicon.maximumWordScalars).contains(fields[0].unicodeScalars.count)
            else {
                throw TableCompilerError.malformedLine(file: file, line: index + 1, text: String(line))
            }
            counted.append((String(fields[0]), count))
        }
        guard let total, total > 0 else {
            throw TableCompilerError.malformedConfig(file: file, reason: "missing `# total: N` line")
        }
        func cost(_ count: Double) -> UInt32 {
            UInt32(min(255, max(0, (TableFormat.Lexicon.costScale * log(total / count)).rounded())))
        }
        unknownCost = cost(1)
        for (word, count) in counted {
            let wordScalars = word.unicodeScalars.map(\.value)
            words.append((wordScalars, cost(count)))
            scalars.formUnion(wordScalars)
        }
    }

    /// The slot table: a power of two at most 85 % full. Probes run longer than in a half-full
    /// table, but sixteen slots share a cache line, and a table half the size stays in cache
    /// and out of the resident memory (most lookups are of words the filters vouch for).
    /// One-character words of the dense table (``singleCosts()``) are left out: they are never
    /// looked up here.
    func slots() throws -> [UInt32] {
        let slotted = words.filter { word in
            word.scalars.count > 1 || !(TableFormat.Lexicon.denseSingleStart..<TableFormat.Lexicon.denseSingleStart
                + UInt32(TableFormat.Lexicon.denseSingleCount)).contains(word.scalars[0])
        }
        var size = 1024
        while size * 17 < slotted.count * 20 { size *= 2 }
        let mask = UInt32(size - 1)
        var slots = [UInt32](repeating: 0, count: size)
        for (wordScalars, cost) in slotted {
            let hash = wordScalars.withUnsafeBufferPointer {
                TableFormat.Lexicon.hash($0.baseAddress!, count: $0.count)
            }
            var slot = TableFormat.Lexicon.homeSlot(hash, mask: mask)
            while slots[Int(slot)] != 0 { slot = (slot + 1) & mask }
            slots[Int(slot)] = TableFormat.Lexicon.fingerprint(hash) << 8 | cost
        }
        return slots
    }

    /// The dense table of one-character words' costs (``TableFormat/Lexicon/denseSingleStart``).
    func singleCosts() throws -> [UInt8] {
        var costs = [UInt8](repeating: TableFormat.Lexicon.noCost, count: TableFormat.Lexicon.denseSingleCount)
        for (wordScalars, cost) in words where wordScalars.count == 1 {
            let index = Int(wordScalars[0]) - Int(TableFormat.Lexicon.denseSingleStart)
            guard costs.indices.contains(index) else { continue }
            guard cost < UInt32(TableFormat.Lexicon.noCost) else {
                throw TableCompilerError.malformedConfig(file: "words.txt", reason: "a cost of 255 or more")
            }
            costs[index] = UInt8(cost)
        }
        return costs
    }

    /// The filter of the first (`atStart`) or last two scalars of words of two or more, with
    /// their length.
    func filter(atStart: Bool) -> [UInt32] {
        var bits = [UInt32](repeating: 0, count: TableFormat.Lexicon.filterWords)
        for (wordScalars, _) in words where wordScalars.count >= 2 {
            let pair = atStart ? (wordScalars[0], wordScalars[1])
                : (wordScalars[wordScalars.count - 2], wordScalars[wordScalars.count - 1])
            let (first, second) = TableFormat.Lexicon.filterBits(pair.0, pair.1, length: wordScalars.count)
            bits.setBit(first)
            bits.setBit(second)
        }
        return bits
    }
}
