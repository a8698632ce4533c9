import HanFixTableFormat

/// Derives the dictionaries and configs of HanFix's own engine from OpenCC's.
///
/// Each OpenCC config `NAME` gets a twin, `hanfix:NAME`, which differs in three ways:
/// 1. **Patches.** `hanfix/patches/FILE.txt`, in OpenCC's format, is merged into `FILE`: a
///    patch line replaces OpenCC's line for the same key or adds a key. Context rules such
///    as 著 → 着 live there, each with its evidence in `docs/accuracy/context-rules.md`.
/// 2. **Identity phrases.** Every phrase value of a conversion step, or of a later one,
///    becomes a key of the step mapping to itself, unless the step already has that key:
///    text already in the target script (`准許`, `十進制`) then matches as the phrase it is,
///    instead of being converted character by character a second time (准 → 準). This is
///    what makes a second pass change nothing.
/// 3. **The lexicon.** The config's record says to resolve crossing matches with the
///    segmentation lexicon (see `PhraseMatcher+Lattice.swift`).
/// 4. **Text already in the target script** gets only the steps after the script conversion,
///    keeping the region's own words, or is left unchanged (``targetScriptGate(of:)``).
struct HanFixEngineDerivation {
    static let prefix = "hanfix:"
    private static let derivedSuffix = "+hanfix"

    private static let identitySuffix = "+identities"

    static func isDerived(_ dictionaryName: String) -> Bool {
        [derivedSuffix, identitySuffix, withinTargetSuffix].contains { dictionaryName.hasSuffix($0) }
    }

    private(set) var dictionaries: [String: OpenCCDictionary]
    private(set) var configs: [OpenCCConfig] = []

    init(openCC configs: [OpenCCConfig], dictionaries: [String: OpenCCDictionary],
         patches: [String: OpenCCDictionary]) throws {
        self.dictionaries = dictionaries
        for (name, patch) in patches {
            let original = Dictionary(dictionaries[name]!.entries.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            var keys = Set(patch.entries.map(\.key))
            // A patched key keeps OpenCC's candidates as its alternatives.
            let patchedEntries = patch.entries.map { entry -> OpenCCDictionary.Entry in
                var entry = entry
                entry.isContextRule = true
                if let replaced = original[entry.key] {
                    var seen: Set<String> = [entry.value]
                    entry.alternatives = (entry.alternatives + [replaced.value] + replaced.alternatives)
                        .filter { seen.insert($0).inserted }
                }
                return entry
            }
            let merged = patchedEntries + dictionaries[name]!.entries.filter { keys.insert($0.key).inserted }
            self.dictionaries[name + Self.derivedSuffix] = OpenCCDictionary(name: name + Self.derivedSuffix + ".txt",
                                                                            entries: merged)
        }
        // A step keeps the phrases of its own output and of every later step's script or
        // variant output, so that the config's output passes each step unchanged. Regional
        // vocabulary (TWPhrases, HKPhrases: 軟件 → 軟體) is left out: such a step is not meant
        // to be idempotent (程序 is Taiwan's "process" and the mainland's "program").
        // Identities are gathered per first file over every step it begins, so that all
        // configs starting with OpenCC's large STPhrases still share one matcher.
        var steps: [(spec: DictionarySpec, sources: [String], laterSteps: [DictionarySpec])] = []
        for config in configs {
            func keptLater(_ later: ArraySlice<DictionarySpec>) -> [String] {
                later.flatMap(\.files).filter { !Self.isRegionalVocabulary($0) }
            }
            for step in config.chain.indices {
                steps.append((config.chain[step], config.chain[step].files + keptLater(config.chain[(step + 1)...]),
                              Array(config.chain[(step + 1)...])))
            }
            if let segmentation = config.segmentation {
                steps.append((segmentation, config.chain[0].files + keptLater(config.chain.dropFirst()),
                              Array(config.chain.dropFirst())))
            }
        }
        var candidates: [String: [String]] = [:]
        var shadowed: [String: Set<[Unicode.Scalar]>] = [:]
        for step in steps {
            let first = step.spec.files[0]
            candidates[first, default: []] += identityCandidates(step.spec, sources: step.sources, laterSteps: step.laterSteps)
            shadowed[first, default: []].formUnion(step.spec.files.flatMap { self.dictionaries[patched($0)]!.entries.map(\.key) })
        }
        for (first, values) in candidates.sorted(by: { $0.key < $1.key }) {
            var seen = shadowed[first]!
            let identities = values.compactMap { value -> OpenCCDictionary.Entry? in
                let scalars = Array(value.unicodeScalars)
                return seen.insert(scalars).inserted ? OpenCCDictionary.Entry(key: scalars, value: value) : nil
            }
            guard !identities.isEmpty else { continue }
            self.dictionaries[first + Self.identitySuffix] = OpenCCDictionary(
                name: first + Self.identitySuffix + ".txt", entries: self.dictionaries[patched(first)]!.entries + identities)
        }
        for config in configs {
            let gate = targetScriptGate(of: config)
            let withinTargetName = Self.prefix + config.name + Self.withinTargetSuffix
            if let chain = gate?.withinTarget {
                self.configs.append(OpenCCConfig(name: withinTargetName, description: config.description + ", within the target script",
                                                 normalization: config.normalization, segmentation: nil, chain: chain.map(derive)))
            }
            self.configs.append(OpenCCConfig(
                name: Self.prefix + config.name, description: config.description,
                normalization: config.normalization, segmentation: config.segmentation.map(derive),
                chain: config.chain.map(derive), targetScript: gate?.script,
                withinTargetConfig: gate?.withinTarget == nil ? nil : withinTargetName))
        }
    }

    private static let withinTargetSuffix = "@target"

    /// For a config that converts between scripts, the script it writes and the chain for
    /// stretches already written in it (nil: leave them unchanged); nil for configs within
    /// one script. See `ScriptGate` in the library.
    ///
    /// Such a stretch is not converted again: only the steps after the script conversion
    /// apply to it, and their regional vocabulary keeps the region's own words. `s2twp` gives
    /// a Traditional stretch the Taiwan variants (爲 → 為) and still replaces mainland words
    /// written in Traditional characters (數據庫 → 資料庫), but leaves the words Taiwan's
    /// vocabulary writes (文件, written for 文檔, is not reread as the mainland's 文件 → 檔案).
    /// Configs whose steps after the script conversion are none (`s2t`; `tw2sp`, whose
    /// variant steps come before) leave such stretches unchanged.
    private mutating func targetScriptGate(of config: OpenCCConfig)
        -> (script: TableFormat.TargetScript, withinTarget: [DictionarySpec]?)? {
        guard let scriptStep = config.chain.lastIndex(where: { step in
            step.files.contains("STCharacters") || step.files.contains("TSCharacters")
        }) else { return nil }
        let script: TableFormat.TargetScript = config.chain[scriptStep].files.contains("STCharacters")
            ? .traditional : .simplified
        func keepingOwnWords(_ spec: DictionarySpec) -> DictionarySpec {
            switch spec {
            case .file(let name):
                return Self.isRegionalVocabulary(name) ? .file(ownWordsKept(name)) : spec
            case .group(let policy, let members):
                return .group(policy, members.map(keepingOwnWords))
            }
        }
        let withinTarget = config.chain[(scriptStep + 1)...].map(keepingOwnWords)
        return (script, withinTarget.isEmpty ? nil : withinTarget)
    }

    /// A regional vocabulary dictionary for text already in its region's script: every word
    /// it writes (a value or candidate, such as Taiwan's 文件 and 欄位) maps to itself, also
    /// where the same word is a key (the mainland's 文件, "file"); other keys convert as before.
    /// Returns its name.
    private mutating func ownWordsKept(_ name: String) -> String {
        let keptName = name + Self.withinTargetSuffix
        guard dictionaries[keptName] == nil else { return keptName }
        let original = dictionaries[patched(name)]!.entries
        let ownWords = Set(original.flatMap { [$0.value] + $0.alternatives })
        var entries = original.map { entry in
            let key = String(String.UnicodeScalarView(entry.key))
            return ownWords.contains(key) ? OpenCCDictionary.Entry(key: entry.key, value: key) : entry
        }
        var keys = Set(original.map(\.key))
        for word in ownWords.sorted() where keys.insert(Array(word.unicodeScalars)).inserted && word.unicodeScalars.count >= 2 {
            entries.append(OpenCCDictionary.Entry(key: Array(word.unicodeScalars), value: word))
        }
        dictionaries[keptName] = OpenCCDictionary(name: keptName + ".txt", entries: entries)
        return keptName
    }

    /// OpenCC's regional vocabulary dictionaries, named `TWPhrases…` and `HKPhrases…`.
    private static func isRegionalVocabulary(_ file: String) -> Bool {
        file.hasPrefix("TWPhrases") || file.hasPrefix("HKPhrases")
    }

    /// A file's patched form, or itself when it has no patch.
    private func patched(_ name: String) -> String {
        dictionaries[name + Self.derivedSuffix] != nil ? name + Self.derivedSuffix : name
    }

    /// `step` with its files patched, and its first file with its identity phrases.
    private func derive(_ step: DictionarySpec) -> DictionarySpec {
        let first = step.files[0]
        func rewrite(_ spec: DictionarySpec) -> DictionarySpec {
            switch spec {
            case .group(let policy, let members):
                return .group(policy, members.map(rewrite))
            case .file(let name):
                return .file(name == first && dictionaries[name + Self.identitySuffix] != nil
                             ? name + Self.identitySuffix : patched(name))
            }
        }
        return rewrite(step)
    }

    /// The phrase values of `sources` that `step` could otherwise rewrite (a character it
    /// maps to another, or a key inside): those need an identity, the others none, which
    /// keeps the matchers small. A step's own phrases also stand for their forms after the
    /// later steps' characters (著稱 → 著称 in tw2s), which is what the config writes.
    private func identityCandidates(_ step: DictionarySpec, sources: [String], laterSteps: [DictionarySpec]) -> [String] {
        var stepMap: [[Unicode.Scalar]: String] = [:]
        for file in step.files {
            for entry in dictionaries[patched(file)]!.entries where stepMap[entry.key] == nil { stepMap[entry.key] = entry.value }
        }
        func mayRewrite(_ text: [Unicode.Scalar]) -> Bool {
            for start in text.indices {
                if let value = stepMap[[text[start]]], value != String(text[start]) { return true }
                for end in stride(from: start + 2, through: min(text.count, start + 8), by: 1)
                where stepMap[Array(text[start..<end])] != nil {
                    return true
                }
            }
            return false
        }
        let characterMaps = laterSteps.map { later in
            later.files.reversed().reduce(into: [Unicode.Scalar: String]()) { map, file in
                for entry in dictionaries[patched(file)]!.entries where entry.key.count == 1 { map[entry.key[0]] = entry.value }
            }
        }
        var values: [String] = []
        for source in sources {
            for entry in dictionaries[patched(source)]!.entries {
                var forms = [entry.value]
                if step.files.contains(source) && !characterMaps.isEmpty {
                    forms.append(characterMaps.reduce(entry.value) { text, map in
                        text.unicodeScalars.map { map[$0] ?? String($0) }.joined()
                    })
                }
                for form in forms {
                    let scalars = Array(form.unicodeScalars)
                    if scalars.count >= 2 && stepMap[scalars] == nil && mayRewrite(scalars) { values.append(form) }
                }
            }
        }
        return values
    }
}
