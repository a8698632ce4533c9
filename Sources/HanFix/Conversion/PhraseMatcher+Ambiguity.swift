import HanFixTableFormat

/// One-to-many characters: reporting how each was decided (`--ambiguities`) and, with
/// ``ConversionOptions/conservative``, keeping those no phrase decides.
///
/// The conversion loop branches here only for a one-scalar key flagged
/// ``TableFormat/Entry/alternativesBit``, and only when either is asked for, so plain
/// conversion pays one test of a bit it has already loaded.
extension PhraseMatcher {
    /// Every candidate of `scalar`'s one-scalar key, the chosen one first; nil when it has one.
    func candidates(of scalar: UInt32) -> [String]? {
        var low = 0
        var high = alternativesCount
        while low < high {
            let middle = (low + high) / 2
            let entry = alternatives + 3 * middle
            if entry[0] == scalar {
                let text = String(decoding: UnsafeBufferPointer(start: pool + Int(entry[1]), count: Int(entry[2])),
                                  as: UTF8.self)
                return text.split(separator: " ").map(String.init)
            }
            if entry[0] < scalar { low = middle + 1 } else { high = middle }
        }
        return nil
    }

    /// Whether the one-scalar key of `scalar` has other candidates.
    @inline(__always)
    func isOneToMany(_ scalar: UInt32) -> Bool {
        entryInfo(scalar) & TableFormat.Entry.alternativesBit != 0
    }

    /// Writes the conversion of the one-to-many character at `source` (`match` is its
    /// one-scalar key) at `out`, or, conservatively, the character itself; records the
    /// choice. Returns the bytes written.
    @inline(never)
    func writeOneToMany(_ match: Match, source: UnsafePointer<UInt8>, inputStart: UnsafePointer<UInt8>,
                        out: UnsafeMutablePointer<UInt8>, recorder: AmbiguityRecorder?) -> Int {
        let length = match.end - source
        let written: Int
        if conservative {
            out.copyBytes(from: source, count: length)
            written = length
        } else {
            match.write(to: out)
            written = match.valueLength
        }
        if let recorder, let scalar = singleScalar(source, match.end), let candidates = candidates(of: scalar) {
            recorder.events.append(Ambiguity(
                offset: source - inputStart, source: String(decoding: UnsafeBufferPointer(start: source, count: length), as: UTF8.self),
                candidates: candidates, choice: String(decoding: UnsafeBufferPointer(start: out, count: written), as: UTF8.self),
                rule: conservative ? "conservative" : "default", phrase: nil))
        }
        return written
    }

    /// The scalar when `[start, end)` is exactly one, else nil.
    func singleScalar(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UInt32? {
        let (scalar, length) = UTF8Scalar.decode(start, end: end)
        return scalar != UTF8Scalar.invalid && start + length == end ? scalar : nil
    }

    /// The bytes the conversion loop wrote for `match` at `source`.
    func writtenLength(of match: Match, source: UnsafePointer<UInt8>) -> Int {
        guard conservative, let scalar = singleScalar(source, match.end), isOneToMany(scalar) else { return match.valueLength }
        return match.end - source
    }

    /// Records the one-to-many characters inside the phrase `match` found at `start`: the
    /// phrase decides them. Each gets the value's character at its position when key and value
    /// have as many characters, else the whole value.
    @inline(never)
    func recordPhrase(_ match: Match, from start: UnsafePointer<UInt8>, inputStart: UnsafePointer<UInt8>,
                      recorder: AmbiguityRecorder) {
        let value: String
        if let pooled = match.pooledValue {
            value = String(decoding: UnsafeBufferPointer(start: pooled, count: match.valueLength), as: UTF8.self)
        } else {
            value = withUnsafeBytes(of: match.inlineValue.littleEndian) {
                String(decoding: $0.prefix(match.valueLength), as: UTF8.self)
            }
        }
        let key = String(decoding: UnsafeBufferPointer(start: start, count: match.end - start), as: UTF8.self)
        let keyScalars = Array(key.unicodeScalars)
        let valueScalars = Array(value.unicodeScalars)
        var offset = start - inputStart
        for (index, scalar) in keyScalars.enumerated() {
            defer { offset += String(scalar).utf8.count }
            guard let candidates = candidates(of: scalar.value) else { continue }
            let choice = keyScalars.count == valueScalars.count ? String(valueScalars[index]) : value
            recorder.events.append(Ambiguity(offset: offset, source: String(scalar), candidates: candidates,
                                             choice: choice, rule: "phrase", phrase: "\(key) → \(value)"))
        }
    }
}
