import Foundation
import HanFixTableFormat

/// Compiles OpenCC's text dictionaries and config JSONs into HanFix's binary table format.
///
/// The output depends only on the source files, so the committed
/// `Data/tables/compiled/hanfix.tables` can be checked against a fresh compilation.
public enum TableCompiler {
    /// Reads `<tables>/opencc/*.txt` and `<tables>/opencc/config/*.json` and returns the
    /// compiled table bytes.
    public static func compile(tablesDirectory: URL) throws -> [UInt8] {
        let openccDirectory = tablesDirectory.appendingPathComponent("opencc")
        let configDirectory = openccDirectory.appendingPathComponent("config")
        let fileManager = FileManager.default
        guard let configFiles = try? fileManager.contentsOfDirectory(atPath: configDirectory.path) else {
            throw TableCompilerError.unreadable(path: configDirectory.path)
        }
        let configs = try configFiles.filter { $0.hasSuffix(".json") }.sorted().map { file in
            let url = configDirectory.appendingPathComponent(file)
            guard let data = fileManager.contents(atPath: url.path) else {
                throw TableCompilerError.unreadable(path: url.path)
            }
            return try OpenCCConfig(name: String(file.dropLast(5)), json: data)
        }
        var dictionaries: [String: OpenCCDictionary] = [:]
        for config in configs {
            let specs = [config.normalization, config.segmentation].compactMap { $0 } + config.chain
            for file in Set(specs.flatMap(\.files)).sorted() where dictionaries[file] == nil {
                let url = openccDirectory.appendingPathComponent(file + ".txt")
                guard let data = fileManager.contents(atPath: url.path) else {
                    throw TableCompilerError.unreadable(path: url.path)
                }
                dictionaries[file] = try OpenCCDictionary(name: file + ".txt", text: String(decoding: data, as: UTF8.self))
            }
        }
        /// A source file of `Data/tables/<folder>`, as text.
        func text(_ folder: String, _ name: String) throws -> String {
            let url = tablesDirectory.appendingPathComponent(folder).appendingPathComponent(name)
            guard let data = fileManager.contents(atPath: url.path) else {
                throw TableCompilerError.unreadable(path: url.path)
            }
            return String(decoding: data, as: UTF8.self)
        }
        let readings = try ReadingsBuilder(
            readingsText: try text("unihan", "Unihan_Readings-pinyin.txt"),
            variantsText: try text("unihan", "Unihan_Variants-script.txt"),
            readingsFile: "Unihan_Readings-pinyin.txt", variantsFile: "Unihan_Variants-script.txt")
        let profiles = try CharacterProfileBuilder(
            frequencyText: try text("unihan", "Unihan_Frequency.txt"), frequencyFile: "Unihan_Frequency.txt",
            variantsText: try text("unihan", "Unihan_Variants-script.txt"), variantsFile: "Unihan_Variants-script.txt",
            equivalentsText: try text("unicode", "EquivalentUnifiedIdeograph.txt"),
            equivalentsFile: "EquivalentUnifiedIdeograph.txt",
            compatibilityText: try text("unicode", "UnicodeData-CJK-compatibility.txt"),
            compatibilityFile: "UnicodeData-CJK-compatibility.txt",
            simplifiedToTraditional: try text("opencc", "STCharacters.txt"),
            traditionalToSimplified: try text("opencc", "TSCharacters.txt"),
            traditionalVariants: [try text("opencc", "TWVariants.txt"), try text("opencc", "HKVariants.txt")])
        let big5File = "Big5-ETEN-extensions.txt"
        let big5Extensions = try parseBig5Extensions(try text("big5", big5File), file: big5File)
        let engine = try HanFixEngineDerivation(
            openCC: configs, dictionaries: dictionaries,
            patches: try patches(in: tablesDirectory.appendingPathComponent("hanfix/patches"), for: dictionaries))
        let lexicon = try LexiconBuilder(text: try text("lexicon", "words.txt"), file: "words.txt")
        return try serialize(configs: configs + engine.configs, dictionaries: engine.dictionaries, readings: readings,
                             profiles: profiles, big5Extensions: big5Extensions, lexicon: lexicon)
    }

    /// The patch dictionaries of HanFix's engine, by the name of the dictionary each patches.
    static func patches(in directory: URL, for dictionaries: [String: OpenCCDictionary]) throws -> [String: OpenCCDictionary] {
        let fileManager = FileManager.default
        guard let files = try? fileManager.contentsOfDirectory(atPath: directory.path) else { return [:] }
        var patches: [String: OpenCCDictionary] = [:]
        for file in files.sorted() where file.hasSuffix(".txt") {
            let name = String(file.dropLast(4))
            guard dictionaries[name] != nil else {
                throw TableCompilerError.malformedConfig(file: "hanfix/patches/\(file)", reason: "patches no dictionary used by a config")
            }
            guard let data = fileManager.contents(atPath: directory.appendingPathComponent(file).path) else {
                throw TableCompilerError.unreadable(path: directory.appendingPathComponent(file).path)
            }
            patches[name] = try OpenCCDictionary(name: "hanfix/patches/\(file)", text: String(decoding: data, as: UTF8.self))
        }
        return patches
    }

    /// Lines of `0xC6A1<TAB>U+30FE<TAB># ヾ`; returns (pair, scalar) sorted by pair.
    static func parseBig5Extensions(_ text: String, file: String) throws -> [(UInt32, UInt32)] {
        var pairs: [(UInt32, UInt32)] = []
        for (index, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t")
            guard fields.count >= 2, fields[0].hasPrefix("0x"), fields[1].hasPrefix("U+"),
                  let pair = UInt32(fields[0].dropFirst(2), radix: 16), let scalar = UInt32(fields[1].dropFirst(2), radix: 16)
            else {
                throw TableCompilerError.malformedLine(file: file, line: index + 1, text: String(line))
            }
            pairs.append((pair, scalar))
        }
        return pairs.sorted { $0.0 < $1.0 }
    }

    static func serialize(configs: [OpenCCConfig], dictionaries: [String: OpenCCDictionary],
                          readings: ReadingsBuilder, profiles: CharacterProfileBuilder,
                          big5Extensions: [(UInt32, UInt32)], lexicon: LexiconBuilder) throws -> [UInt8] {
        // Every distinct dictionary group becomes one matcher, shared by the configs using it.
        var specs: [DictionarySpec] = []
        for config in configs {
            for spec in config.matcherSpecs where !specs.contains(spec) { specs.append(spec) }
        }
        let matchers = try specs.map { try MatcherBuilder(spec: $0, dictionaries: dictionaries) }
        // The matchers HanFix's engine runs with the lexicon (all but the normalization) get a
        // crossing filter.
        let lexiconSpecs = configs.filter(\.usesLexicon)
            .flatMap { config in [config.separateSegmentation].compactMap { $0 } + config.chain }
        let lexiconWords = lexicon.words.map(\.scalars)

        var pool = StringPool()
        var writer = TableWriter()
        let header = writer.reserve(words: TableFormat.headerWords)
        writer.align()
        let matcherDirectory = writer.reserve(words: TableFormat.recordWords * matchers.count)
        let configDirectory = writer.reserve(words: TableFormat.recordWords * configs.count)

        for (index, (spec, matcher)) in zip(specs, matchers).enumerated() {
            let record = matcherDirectory + UInt32(index * TableFormat.recordWords * 4)
            try write(matcher, named: spec.canonicalName, record: record, writer: &writer, pool: &pool,
                      crossingWords: lexiconSpecs.contains(spec) ? lexiconWords : nil)
        }
        for (index, config) in configs.enumerated() {
            let record = configDirectory + UInt32(index * TableFormat.recordWords * 4)
            typealias Field = TableFormat.ConfigField
            func set(_ field: Field, _ word: UInt32) { writer.patch(record, field: field.rawValue, word) }
            func matcherIndex(_ spec: DictionarySpec?) -> UInt32 {
                spec.map { UInt32(specs.firstIndex(of: $0)!) } ?? TableFormat.none
            }
            guard config.chain.count <= TableFormat.maxChainLength else {
                throw TableCompilerError.malformedConfig(file: config.name, reason: "conversion chain too long")
            }
            let name = pool.add(config.name)
            let description = pool.add(config.description)
            set(.nameOffset, name.offset); set(.nameLength, name.length)
            set(.descriptionOffset, description.offset); set(.descriptionLength, description.length)
            set(.normalization, matcherIndex(config.normalization))
            if let shared = config.sharedSegmentation {
                set(.segmentation, matcherIndex(config.chain[shared.step]))
                set(.segmentationMaxPriority, shared.maxPriority)
                set(.segmentationStep, UInt32(shared.step))
            } else {
                set(.segmentation, matcherIndex(config.segmentation))
                set(.segmentationMaxPriority, 0xFF)
                set(.segmentationStep, TableFormat.none)
            }
            set(.chainLength, UInt32(config.chain.count))
            for (step, spec) in config.chain.enumerated() {
                writer.patch(record, field: Field.chain0.rawValue + step, matcherIndex(spec))
            }
            let used = config.matcherSpecs.map { matchers[specs.firstIndex(of: $0)!] }
            // With the lexicon, a segment may be any word: no cut may fall inside one either.
            let usesLexicon = config.usesLexicon
            set(.usesLexicon, usesLexicon ? 1 : 0)
            set(.targetScript, config.targetScript?.rawValue ?? 0)
            set(.withinTargetConfig, try config.withinTargetConfig.map { name in
                guard let index = configs.firstIndex(where: { $0.name == name }) else {
                    throw TableCompilerError.malformedConfig(file: config.name, reason: "unknown config \(name)")
                }
                return UInt32(index)
            } ?? TableFormat.none)
            let keyScalars = used.reduce(into: usesLexicon ? lexicon.scalars : [], { $0.formUnion($1.keyScalars) })
            // The script gate converts stretches apart, cut at newlines and spaces.
            let isGated = config.targetScript != nil || configs.contains { $0.withinTargetConfig == config.name }
            if isGated, keyScalars.contains(0x0A) || keyScalars.contains(0x20) {
                throw TableCompilerError.malformedConfig(file: config.name, reason: "a key holds a space or a newline")
            }
            var pages: [UInt32: [UInt32]] = [:]
            for scalar in keyScalars {
                let low = scalar & 0xFF
                pages[scalar >> 8, default: Array(repeating: 0, count: 8)][Int(low >> 5)] |= 1 << (low & 31)
            }
            let bitmap = writer.appendTwoStageTable(pages: pages, blockWords: 8)
            set(.keyScalarsStage1Offset, bitmap.stage1)
            set(.keyScalarsBitsOffset, bitmap.stage2)
        }

        var readingPages: [UInt32: [UInt32]] = [:]
        for (scalar, spellings) in readings.readings.sorted(by: { $0.key < $1.key }) {
            let ref = pool.add(spellings.sorted().joined(separator: " "))
            guard ref.offset <= TableFormat.ReadingsEntry.offsetMask, ref.length < 256 else {
                throw TableCompilerError.malformedConfig(file: "unihan", reason: "readings do not fit the table")
            }
            let entry = ref.offset | ref.length << TableFormat.ReadingsEntry.lengthShift | readings.scriptFlags(of: scalar)
            readingPages[scalar >> 8, default: Array(repeating: 0, count: 256)][Int(scalar & 0xFF)] = entry
        }
        let readingTables = writer.appendTwoStageTable(pages: readingPages, blockWords: 256)

        // Profile bytes, four to a little-endian word, of the characters with a tier or a
        // script; the reader gives other Han characters tier 1.
        var profilePages: [UInt32: [UInt32]] = [:]
        for scalar in profiles.profiledScalars.sorted() {
            let byte = UInt32(profiles.profile(of: scalar))
            guard byte != 0 else { continue }
            profilePages[scalar >> 8, default: Array(repeating: 0, count: 64)][Int(scalar & 0xFF) >> 2] |= byte << ((scalar & 3) * 8)
        }
        let profileTables = writer.appendTwoStageTable(pages: profilePages, blockWords: 64)
        writer.align()
        let phraseBigrams = writer.offset
        // OpenCC's words only, so that scoring text does not depend on HanFix's engine.
        let openCCNames = dictionaries.keys.filter { !HanFixEngineDerivation.isDerived($0) }.sorted()
        for word in CharacterProfileBuilder.phraseBigrams(openCCNames.map { dictionaries[$0]! }) {
            writer.append(word)
        }
        let equivalents = writer.offset
        for (source, target) in profiles.equivalents {
            writer.append(source)
            writer.append(target)
        }
        let big5ExtensionOffset = writer.offset
        for (pair, scalar) in big5Extensions {
            writer.append(pair)
            writer.append(scalar)
        }

        writer.align()
        let lexiconSlots = try lexicon.slots()
        let lexiconOffset = writer.offset
        for slot in lexiconSlots { writer.append(slot) }
        let lexiconPrefixFilter = writer.offset
        for word in lexicon.filter(atStart: true) { writer.append(word) }
        let lexiconSuffixFilter = writer.offset
        for word in lexicon.filter(atStart: false) { writer.append(word) }
        let lexiconSingleCosts = writer.offset
        for cost in try lexicon.singleCosts() { writer.append8(cost) }

        writer.align()
        let poolOffset = writer.offset
        for byte in pool.bytes { writer.append8(byte) }
        writer.align()
        typealias Header = TableFormat.HeaderField
        writer.patch(header, field: Header.magic.rawValue, TableFormat.magic)
        writer.patch(header, field: Header.version.rawValue, TableFormat.version)
        writer.patch(header, field: Header.matcherCount.rawValue, UInt32(matchers.count))
        writer.patch(header, field: Header.matcherDirectory.rawValue, matcherDirectory)
        writer.patch(header, field: Header.configCount.rawValue, UInt32(configs.count))
        writer.patch(header, field: Header.configDirectory.rawValue, configDirectory)
        writer.patch(header, field: Header.poolOffset.rawValue, poolOffset)
        writer.patch(header, field: Header.poolLength.rawValue, UInt32(pool.bytes.count))
        writer.patch(header, field: Header.readingsStage1Offset.rawValue, readingTables.stage1)
        writer.patch(header, field: Header.readingsStage2Offset.rawValue, readingTables.stage2)
        writer.patch(header, field: Header.profileStage1Offset.rawValue, profileTables.stage1)
        writer.patch(header, field: Header.profileStage2Offset.rawValue, profileTables.stage2)
        writer.patch(header, field: Header.phraseBigramsOffset.rawValue, phraseBigrams)
        writer.patch(header, field: Header.equivalentsOffset.rawValue, equivalents)
        writer.patch(header, field: Header.equivalentsCount.rawValue, UInt32(profiles.equivalents.count))
        writer.patch(header, field: Header.big5ExtensionOffset.rawValue, big5ExtensionOffset)
        writer.patch(header, field: Header.big5ExtensionCount.rawValue, UInt32(big5Extensions.count))
        writer.patch(header, field: Header.lexiconOffset.rawValue, lexiconOffset)
        writer.patch(header, field: Header.lexiconMask.rawValue, UInt32(lexiconSlots.count - 1))
        writer.patch(header, field: Header.lexiconPrefixFilterOffset.rawValue, lexiconPrefixFilter)
        writer.patch(header, field: Header.lexiconSuffixFilterOffset.rawValue, lexiconSuffixFilter)
        writer.patch(header, field: Header.lexiconUnknownCost.rawValue, lexicon.unknownCost)
        writer.patch(header, field: Header.lexiconSingleCostsOffset.rawValue, lexiconSingleCosts)
        return writer.bytes
    }

    private static func write(_ matcher: MatcherBuilder, named name: String, record: UInt32,
                              writer: inout TableWriter, pool: inout StringPool, crossingWords: [[UInt32]]?) throws {
        typealias Field = TableFormat.MatcherField
        func set(_ field: Field, _ word: UInt32) { writer.patch(record, field: field.rawValue, word) }
        let nameRef = pool.add(name)
        set(.nameOffset, nameRef.offset); set(.nameLength, nameRef.length)

        var pages: [UInt32: [UInt32]] = [:]
        let layout = EdgeLayout(matcher)
        for (scalar, nodeIndex) in matcher.nodes[1].children {
            let entry = try firstLevelEntry(matcher.nodes[nodeIndex], index: layout.position[nodeIndex], matcher: name)
            let slot = Int(scalar & 0xFF) * 2
            pages[scalar >> 8, default: Array(repeating: 0, count: 512)][slot] = entry.inlineValue
            pages[scalar >> 8]![slot + 1] = entry.info
        }
        let stages = writer.appendTwoStageTable(pages: pages, blockWords: 512)
        set(.stage1Offset, stages.stage1); set(.stage2Offset, stages.stage2)
        if let filter = matcher.bigramFilter {
            writer.align()
            set(.bigramFilterOffset, writer.offset)
            set(.bigramFilterBits, filter.bits)
            for word in filter.words { writer.append(word) }
            let table = try bigramTable(matcher, layout: layout, pool: &pool, name: name)
            writer.align()
            set(.bigramTableOffset, writer.offset)
            set(.bigramTableMask, UInt32(table.count - 1))
            for slot in table {
                writer.append(slot.first); writer.append(slot.second)
                writer.append(slot.children); writer.append(slot.value)
            }
            if let crossingWords {
                let crossing = matcher.crossingFilter(words: crossingWords)
                writer.align()
                set(.crossingFilterOffset, writer.offset)
                set(.crossingFilterBits, crossing.bits)
                for word in crossing.words { writer.append(word) }
            }
        }

        writer.align()
        set(.alternativesOffset, writer.offset)
        var alternativesCount: UInt32 = 0
        for (scalar, nodeIndex) in matcher.nodes[1].children.sorted(by: { $0.key < $1.key }) {
            let node = matcher.nodes[nodeIndex]
            guard let value = node.value, !node.alternatives.isEmpty else { continue }
            let ref = pool.add(([value] + node.alternatives).joined(separator: " "))
            writer.append(scalar); writer.append(ref.offset); writer.append(ref.length)
            alternativesCount += 1
        }
        set(.alternativesCount, alternativesCount)

        writer.align()
        set(.nodesOffset, writer.offset)
        set(.nodeCount, UInt32(matcher.nodes.count))
        for index in layout.order {
            let node = matcher.nodes[index]
            var valueOffset: UInt32 = 0
            var valueInfo: UInt32 = 0
            if let value = node.value {
                let ref = pool.add(value)
                guard ref.length <= 0xFFFF, node.priority <= 0xFF else {
                    throw TableCompilerError.malformedConfig(file: name, reason: "value or group too large")
                }
                valueOffset = ref.offset
                valueInfo = ref.length | node.priority << 16 | TableFormat.Node.terminalBit
                    | (node.isTransparent ? TableFormat.Node.transparentBit : 0)
                    | (node.isContextRule ? TableFormat.Node.contextRuleBit : 0)
            }
            writer.append(valueOffset)
            writer.append(valueInfo)
            writer.append(layout.ranges[index].start)
            writer.append(layout.ranges[index].count)
        }
        set(.childrenOffset, writer.offset)
        set(.childCount, UInt32(layout.children.count))
        for child in layout.children {
            writer.append(child.scalar)
            writer.append(child.node)
        }
        set(.maxKeyScalars, UInt32(matcher.maxKeyScalars))
        set(.maxExpansion, UInt32(matcher.maxExpansion))
        for (index, word) in matcher.asciiStartMask.enumerated() {
            writer.patch(record, field: Field.asciiStartMask0.rawValue + index, word)
        }
        for (index, word) in matcher.leadByteMask.enumerated() {
            writer.patch(record, field: Field.leadByteMask0.rawValue + index, word)
        }
    }
}

extension TableCompiler {
    /// The bigram table of `matcher`: a power of two at most 3/4 full, so that a probe is
    /// short and the table small enough to stay in cache.
    static func bigramTable(_ matcher: MatcherBuilder, layout: EdgeLayout, pool: inout StringPool,
                            name: String) throws -> [TableFormat.BigramSlot] {
        var bigrams: [(UInt32, UInt32, Int)] = []
        for (first, node) in matcher.nodes[1].children {
            for (second, child) in matcher.nodes[node].children { bigrams.append((first, second, child)) }
        }
        var size = 16
        while size * 3 < bigrams.count * 4 { size *= 2 }
        let mask = UInt32(size - 1)
        var slots = [TableFormat.BigramSlot](
            repeating: TableFormat.BigramSlot(first: 0, second: 0, children: 0, value: 0), count: size)
        for (first, second, nodeIndex) in bigrams.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            let node = matcher.nodes[nodeIndex]
            var value: UInt32 = 0
            if let text = node.value {
                let ref = pool.add(text)
                guard ref.offset < 1 << 21, ref.length < 1 << 6, node.priority < 8 else {
                    throw TableCompilerError.malformedConfig(file: name, reason: "value does not fit a bigram slot")
                }
                value = ref.offset | ref.length << 21 | node.priority << 27 | TableFormat.BigramSlot.terminalBit
                    | (node.isTransparent ? TableFormat.BigramSlot.transparentBit : 0)
            }
            // The walk goes on from the slot's edges, without loading the node.
            let edges = layout.ranges[nodeIndex]
            guard let children = TableFormat.BigramSlot.packChildren(start: edges.start, count: edges.count) else {
                throw TableCompilerError.malformedConfig(file: name, reason: "too many trie edges for a bigram slot")
            }
            var slot = TableFormat.bigramSlot(first, second, mask: mask)
            while slots[Int(slot)].first != 0 { slot = (slot + 1) & mask }
            slots[Int(slot)] = TableFormat.BigramSlot(first: first, second: second, children: children, value: value)
        }
        return slots
    }

    /// The first-level entry of a key's first scalar: its one-scalar value inline when it has
    /// one of at most four bytes, and whether the trie must be walked.
    static func firstLevelEntry(_ node: MatcherBuilder.TrieNode, index: Int,
                                matcher: String) throws -> TableFormat.Entry {
        guard index < 1 << (32 - Int(TableFormat.Entry.nodeShift)) else {
            throw TableCompilerError.malformedConfig(file: matcher, reason: "too many trie nodes")
        }
        guard node.priority < 16 else {
            throw TableCompilerError.malformedConfig(file: matcher, reason: "too many dictionaries in a group")
        }
        var inlineValue: UInt32 = 0
        var info = UInt32(index) << TableFormat.Entry.nodeShift | node.priority << 4
        if let value = node.value.map({ Array($0.utf8) }) {
            if !value.isEmpty && value.count <= 4 {
                for (position, byte) in value.enumerated() { inlineValue |= UInt32(byte) << (8 * UInt32(position)) }
                info |= UInt32(value.count)
            } else {
                info |= TableFormat.Entry.nodeValueBit
            }
        }
        if !node.children.isEmpty { info |= TableFormat.Entry.longerKeysBit }
        if !node.alternatives.isEmpty { info |= TableFormat.Entry.alternativesBit }
        return TableFormat.Entry(inlineValue: inlineValue, info: info)
    }
}

/// UTF-8 strings stored once each, addressed by offset and length.
struct StringPool {
    private(set) var bytes: [UInt8] = []
    private var known: [String: (offset: UInt32, length: UInt32)] = [:]

    mutating func add(_ string: String) -> (offset: UInt32, length: UInt32) {
        if let ref = known[string] { return ref }
        let ref = (UInt32(bytes.count), UInt32(string.utf8.count))
        bytes.append(contentsOf: string.utf8)
        known[string] = ref
        return ref
    }
}

/// How a matcher's trie is laid out in the tables: the order of its nodes, and where each
/// node's edges lie in the edge array (sorted by scalar, node by node).
///
/// The engine reaches a node through an edge only below two scalars (the two-stage table and
/// the bigram table stand in for the first two levels), so those deeper nodes come first, in
/// breadth-first order, and the others after them: the pages a conversion touches are then
/// few and dense, which keeps the trie in cache and the resident memory small. The root's
/// and first-level nodes' edges are left out, since they are never searched.
struct EdgeLayout {
    private(set) var children: [TableFormat.Child] = []
    /// Each node's edges, by its index in the builder.
    private(set) var ranges: [(start: UInt32, count: UInt32)] = []
    /// The builder's node indices in table order; node 0, the placeholder, stays first.
    private(set) var order: [Int] = [0]
    /// Each node's index in the table, by its index in the builder.
    private(set) var position: [Int]

    init(_ matcher: MatcherBuilder) {
        let nodes = matcher.nodes
        var depth = [Int](repeating: -1, count: nodes.count)
        var breadthFirst = [1]
        depth[1] = 0
        var next = 0
        while next < breadthFirst.count {
            let node = breadthFirst[next]
            next += 1
            for scalar in nodes[node].children.keys.sorted() {
                let child = nodes[node].children[scalar]!
                depth[child] = depth[node] + 1
                breadthFirst.append(child)
            }
        }
        order += breadthFirst.filter { depth[$0] >= 3 } + breadthFirst.filter { depth[$0] < 3 }
        precondition(order.count == nodes.count, "every trie node is reachable from the root")
        position = [Int](repeating: 0, count: nodes.count)
        for (index, node) in order.enumerated() { position[node] = index }
        ranges = Array(repeating: (0, 0), count: nodes.count)
        for node in order where depth[node] >= 2 {
            let start = UInt32(children.count)
            for scalar in nodes[node].children.keys.sorted() {
                children.append(TableFormat.Child(scalar: scalar, node: UInt32(position[nodes[node].children[scalar]!])))
            }
            ranges[node] = (start, UInt32(children.count) - start)
        }
    }
}
