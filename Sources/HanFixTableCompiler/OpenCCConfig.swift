import Foundation
import HanFixTableFormat

/// A dictionary reference in an OpenCC config: one text file, or a group of them.
indirect enum DictionarySpec: Hashable {
    /// OpenCC's two group policies. `shortCircuit`: the first member with any match wins,
    /// with its longest match. `union`: the longest match over all members wins.
    enum Policy: String { case shortCircuit = "short_circuit", union }

    case file(String)
    case group(Policy, [DictionarySpec])

    /// A stable, readable name, e.g. `short_circuit[TSPhrases,TSCharacters]`.
    var canonicalName: String {
        switch self {
        case .file(let name): return name
        case .group(let policy, let members):
            return "\(policy.rawValue)[\(members.map(\.canonicalName).joined(separator: ","))]"
        }
    }

    var files: [String] {
        switch self {
        case .file(let name): return [name]
        case .group(_, let members): return members.flatMap(\.files)
        }
    }
}

/// The parts of an OpenCC config JSON that determine its output.
struct OpenCCConfig {
    let name: String
    let description: String
    let normalization: DictionarySpec?
    let segmentation: DictionarySpec?
    let chain: [DictionarySpec]
    /// HanFix's engine: the script the config writes, when text already in it is left to
    /// `withinTargetConfig` (a config name; nil leaves them unchanged). See
    /// `HanFixEngineDerivation.targetScriptGate(of:)`.
    var targetScript: TableFormat.TargetScript?
    var withinTargetConfig: String?

    init(name: String, description: String, normalization: DictionarySpec?, segmentation: DictionarySpec?,
         chain: [DictionarySpec], targetScript: TableFormat.TargetScript? = nil, withinTargetConfig: String? = nil) {
        self.name = name
        self.description = description
        self.normalization = normalization
        self.segmentation = segmentation
        self.chain = chain
        self.targetScript = targetScript
        self.withinTargetConfig = withinTargetConfig
    }

    init(name: String, json: Data) throws {
        func fail(_ reason: String) -> TableCompilerError {
            .malformedConfig(file: "\(name).json", reason: reason)
        }
        guard let root = try JSONSerialization.jsonObject(with: json) as? [String: Any] else {
            throw fail("not a JSON object")
        }
        func spec(_ object: Any?) throws -> DictionarySpec {
            guard let dict = object as? [String: Any], let type = dict["type"] as? String else {
                throw fail("a dictionary entry lacks a `type`")
            }
            switch type {
            case "text", "ocd2", "ocd":
                guard let file = dict["file"] as? String else { throw fail("a dictionary lacks `file`") }
                // Compiled OpenCC formats name the same dictionary with another extension.
                return .file((file as NSString).deletingPathExtension)
            case "group":
                let policyName = dict["match_policy"] as? String ?? "short_circuit"
                guard let policy = DictionarySpec.Policy(rawValue: policyName) else {
                    throw fail("unknown match_policy \(policyName)")
                }
                guard let members = dict["dicts"] as? [Any] else { throw fail("a group lacks `dicts`") }
                return .group(policy, try members.map(spec))
            default:
                throw fail("unsupported dictionary type \(type)")
            }
        }
        self.name = name
        self.description = root["name"] as? String ?? name
        let normalizations = (root["normalization"] as? [[String: Any]] ?? []).map { $0["dict"] }
        switch normalizations.count {
        case 0: normalization = nil
        case 1: normalization = try spec(normalizations[0])
        default:
            throw fail("more than one normalization step is not supported")
        }
        if let segmentation = root["segmentation"] as? [String: Any] {
            let type = segmentation["type"] as? String ?? "mmseg"
            guard type == "mmseg" else { throw fail("unsupported segmentation \(type)") }
            self.segmentation = try spec(segmentation["dict"])
        } else {
            self.segmentation = nil
        }
        guard let steps = root["conversion_chain"] as? [[String: Any]], !steps.isEmpty else {
            throw fail("missing conversion_chain")
        }
        chain = try steps.map { try spec($0["dict"]) }
    }
}

extension OpenCCConfig {
    /// When the segmentation dictionary is a chain step's whole group, or the first member of
    /// its `short_circuit` group, that step's matcher can segment too: its keys of priority 0
    /// (or all, for the whole group) are exactly the segmentation keys.
    var sharedSegmentation: (step: Int, maxPriority: UInt32)? {
        guard let segmentation else { return nil }
        for (step, spec) in chain.enumerated() {
            if spec == segmentation { return (step, 0xFF) }
            // Priority 0 is the first member's only if it is one dictionary or a union.
            if case .group(.shortCircuit, let members) = spec, members.first == segmentation {
                if case .group(.shortCircuit, _) = segmentation { return nil }
                return (step, 0)
            }
        }
        return nil
    }

    /// The segmentation dictionary when it needs a matcher of its own (it is not shared with a
    /// chain step).
    var separateSegmentation: DictionarySpec? { sharedSegmentation == nil ? segmentation : nil }

    /// The dictionary groups the config's conversion runs, each one matcher: normalization,
    /// a separate segmentation, then the chain.
    var matcherSpecs: [DictionarySpec] { [normalization, separateSegmentation].compactMap { $0 } + chain }

    /// Whether this is one of HanFix's own configs, which segment with the lexicon
    /// (`HanFixEngineDerivation`).
    var usesLexicon: Bool { name.hasPrefix(HanFixEngineDerivation.prefix) }
}
