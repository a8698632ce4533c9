import CHanFixICU

/// What ``EncodingDetector`` decided about some bytes.
public struct EncodingGuess: Sendable, Equatable {
    /// An ICU converter name: `UTF-8`, `GB18030`, `Big5`, `Big5-HKSCS`, `UTF-16LE` …
    public var encoding: String
    /// 0–100: how sure the detector is.
    public var confidence: Int
    /// Length of the byte-order mark the input starts with (0 when none); it is not text.
    public var byteOrderMarkLength: Int
    /// Why, in words: "byte-order mark", "valid UTF-8", "scored best as Chinese" …
    public var reason: String
}

/// Finds the encoding of Chinese text, short or long.
///
/// In order:
/// 1. A byte-order mark: UTF-8, UTF-16LE/BE, UTF-32LE/BE.
/// 2. Valid UTF-8 (a sequence cut by the end of the sample allowed) without NUL bytes: UTF-8.
///    Text that is UTF-8 but for a few bad bytes counts as UTF-8 too, so that `--invalid`
///    decides about them. (NUL bytes point to UTF-16: the candidates are scored first.)
/// 3. Otherwise every candidate that decodes the sample strictly (GB18030, Big5,
///    Big5-HKSCS, UTF-16LE, UTF-16BE) is scored as Chinese text (``TextScore``: character
///    frequencies and dictionary words), and the best wins. ICU's charset detector adds a
///    small bonus to its own guess on samples long enough for it (64 bytes or more). Valid
///    decoding alone proves little: most short GBK byte strings are also valid Big5.
/// 4. Nothing decodes, or nothing scores at least ``minimumScore``: UTF-8, so that the
///    error names the first bad byte.
public enum EncodingDetector {
    /// How much of a stream the detector looks at.
    public static let sampleSize = 64 * 1024

    static let candidates = ["GB18030", "Big5", "Big5-HKSCS", "UTF-16LE", "UTF-16BE"]
    /// The ``TextScore`` below which no decoding is believed.
    static let minimumScore = 0.5

    /// Guesses the encoding of `sample`, the start of a stream (`isComplete`: all of it).
    public static func detect(_ sample: UnsafeBufferPointer<UInt8>, isComplete: Bool) -> EncodingGuess {
        if let bom = byteOrderMark(sample) { return bom }
        let utf8 = UTF8Validation.count(sample, allowTruncatedEnd: !isComplete)
        // NUL bytes in "valid UTF-8" are more likely UTF-16: let the candidates be scored.
        let hasNUL = sample.contains(0)
        if !hasNUL && (utf8.invalid == 0 || (utf8.multiByte > 0 && utf8.invalid * 100 <= utf8.multiByte)) {
            return EncodingGuess(encoding: "UTF-8", confidence: utf8.invalid == 0 ? 100 : 80, byteOrderMarkLength: 0,
                                 reason: utf8.invalid == 0 ? "valid UTF-8" : "UTF-8 with \(utf8.invalid) invalid bytes")
        }
        guard hanfix_icu_available() != 0 else {
            return EncodingGuess(encoding: "UTF-8", confidence: 0, byteOrderMarkLength: 0, reason: "ICU is not available")
        }
        let icuGuess = sample.count >= 64 ? icuDetector(sample) : nil
        var scored: [(encoding: String, score: Double)] = []
        for encoding in candidates {
            guard let codec = try? ICUCodec(encoding: encoding) else { continue }
            let bytes = completePrefix(sample, encoding: encoding, isComplete: isComplete)
            guard let decoded = codec.decodeWhole(bytes) else { continue }
            var score = TextScore(String(decoding: decoded, as: UTF8.self).unicodeScalars).value
            if let icuGuess, icuGuess.matchesIgnoringCase(encoding) { score += 0.5 }
            scored.append((encoding, score))
        }
        // Big5-HKSCS only when plain Big5 fails: it is a superset and would tie.
        if scored.contains(where: { $0.encoding == "Big5" }) { scored.removeAll { $0.encoding == "Big5-HKSCS" } }
        // A decoding must also read as Chinese: any even number of bytes is "valid" UTF-16.
        // Valid UTF-8 with NUL bytes stays UTF-8 unless a decoding reads as clearly Chinese.
        let bar = hasNUL && utf8.invalid == 0 ? 2.0 : minimumScore
        guard let best = scored.max(by: { $0.score < $1.score }), best.score >= bar else {
            let valid = utf8.invalid == 0
            return EncodingGuess(encoding: "UTF-8", confidence: valid ? 90 : 0, byteOrderMarkLength: 0,
                                 reason: valid ? "valid UTF-8 (with NUL bytes)" : "no candidate encoding decodes the input as Chinese text")
        }
        let runnerUp = scored.filter { $0.encoding != best.encoding }.map(\.score).max() ?? -10
        let margin = best.score - runnerUp
        let confidence = max(10, min(99, Int(50 + margin * 10)))
        return EncodingGuess(encoding: best.encoding, confidence: confidence, byteOrderMarkLength: 0,
                             reason: "scored best as Chinese text among \(scored.count) decodings")
    }

    static func byteOrderMark(_ bytes: UnsafeBufferPointer<UInt8>) -> EncodingGuess? {
        func starts(_ prefix: [UInt8]) -> Bool { bytes.count >= prefix.count && zip(bytes, prefix).allSatisfy { $0 == $1 } }
        let marks: [([UInt8], String)] = [
            ([0xEF, 0xBB, 0xBF], "UTF-8"), ([0xFF, 0xFE, 0x00, 0x00], "UTF-32LE"), ([0x00, 0x00, 0xFE, 0xFF], "UTF-32BE"),
            ([0xFF, 0xFE], "UTF-16LE"), ([0xFE, 0xFF], "UTF-16BE"),
        ]
        guard let (mark, encoding) = marks.first(where: { starts($0.0) }) else { return nil }
        return EncodingGuess(encoding: encoding, confidence: 100, byteOrderMarkLength: mark.count, reason: "byte-order mark")
    }

    /// The sample without a character the sample's end cut: whole code units for UTF-16,
    /// up to the last ASCII byte for the double-byte encodings.
    private static func completePrefix(_ sample: UnsafeBufferPointer<UInt8>, encoding: String,
                                       isComplete: Bool) -> UnsafeBufferPointer<UInt8> {
        guard !isComplete else { return sample }
        var end = sample.count
        if encoding.hasPrefix("UTF-16") {
            end -= end % 2
        } else if let lastASCII = sample.lastIndex(where: { $0 < 0x80 }) {
            end = lastASCII + 1
        }
        return UnsafeBufferPointer(rebasing: sample[..<end])
    }

    private static func icuDetector(_ sample: UnsafeBufferPointer<UInt8>) -> String? {
        var name = [CChar](repeating: 0, count: 64)
        let confidence = hanfix_icu_detect(sample.baseAddress, Int32(min(sample.count, Int(Int32.max))), &name, 64)
        guard confidence >= 0 else { return nil }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

private extension String {
    func matchesIgnoringCase(_ other: String) -> Bool { lowercased() == other.lowercased() }
}
