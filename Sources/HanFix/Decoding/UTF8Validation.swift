/// Validation of UTF-8 under an ``InvalidUTF8Policy``, shared by every stage that meets
/// ill-formed input.
enum UTF8Validation {
    /// The length of the well-formed prefix of `input`, and whether what stops it is an
    /// ill-formed sequence (true) or the end, possibly with a cut-short final sequence (false).
    /// Complexity: O(n), eight ASCII bytes at a time.
    static func wellFormedPrefix(_ input: UnsafeBufferPointer<UInt8>) -> (length: Int, illFormed: Bool) {
        guard let start = input.baseAddress else { return (0, false) }
        let end = start + input.count
        var p = start
        while p < end {
            if end - p >= 8 {
                let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                if word.isASCII {
                    p += 8  // eight ASCII bytes
                    continue
                }
                // A three-byte sequence led by E1–EC or EE–EF (most of CJK) needs no range
                // check beyond its continuation bytes.
                let lead = UInt8(truncatingIfNeeded: word)
                if word & 0xC0_C0F0 == 0x80_80E0 && lead != 0xE0 && lead != 0xED {
                    p += 3
                    continue
                }
            }
            if p[0] < 0x80 { p += 1; continue }
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar != UTF8Scalar.invalid { p += length; continue }
            let subpart = UTF8Scalar.maximalSubpartLength(p, end: end)
            let cutShort = p + subpart == end && subpart < UTF8Scalar.sequenceLength(lead: p[0])
            return (p - start, !cutShort)
        }
        return (input.count, false)
    }

    /// Copies `input` to `output`, applying `policy` to each ill-formed sequence.
    ///
    /// With `holdBackIncomplete`, a sequence cut short by the end of `input` is not an error:
    /// the number of bytes consumed stops before it, and the caller keeps it for the next
    /// chunk. `streamOffset` is the stream offset of `input`'s first byte, for errors.
    /// Returns the number of bytes consumed. Complexity: O(n).
    static func copy(_ input: UnsafeBufferPointer<UInt8>, policy: InvalidUTF8Policy, streamOffset: Int,
                     holdBackIncomplete: Bool, into output: ByteBuffer,
                     firstSequenceOnly: Bool = false) throws -> Int {
        guard let start = input.baseAddress else { return 0 }
        let end = start + input.count
        var p = start
        var runStart = start
        while p < end {
            if firstSequenceOnly && p > start { break }
            if end - p >= 8 && UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).isASCII
                && !firstSequenceOnly {
                p += 8  // eight ASCII bytes
                continue
            }
            if p[0] < 0x80 { p += 1; continue }
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if scalar != UTF8Scalar.invalid { p += length; continue }
            let subpart = UTF8Scalar.maximalSubpartLength(p, end: end)
            if holdBackIncomplete && p + subpart == end && subpart < UTF8Scalar.sequenceLength(lead: p[0]) {
                break
            }
            switch policy {
            case .error:
                throw HanFixError.invalidUTF8(offset: streamOffset + (p - start))
            case .pass:
                p += subpart
            case .replace:
                output.append(UnsafeBufferPointer(start: runStart, count: p - runStart))
                output.append(0xEF); output.append(0xBF); output.append(0xBD)  // U+FFFD
                p += subpart
                runStart = p
            }
        }
        output.append(UnsafeBufferPointer(start: runStart, count: p - runStart))
        return p - start
    }

    /// Counts the ill-formed sequences (maximal subparts) and the well-formed multi-byte
    /// sequences of `input`; with `allowTruncatedEnd`, a sequence cut short by the end is
    /// neither. Complexity: O(n).
    static func count(_ input: UnsafeBufferPointer<UInt8>, allowTruncatedEnd: Bool) -> (invalid: Int, multiByte: Int) {
        guard let start = input.baseAddress else { return (0, 0) }
        let end = start + input.count
        var p = start
        var invalid = 0, multiByte = 0
        while p < end {
            let prefix = wellFormedPrefix(UnsafeBufferPointer(start: p, count: end - p))
            multiByte += UnsafeBufferPointer(start: p, count: prefix.length).lazy.filter { $0 >= 0xC0 }.count
            p += prefix.length
            guard p < end else { break }
            if !prefix.illFormed {
                if !allowTruncatedEnd { invalid += 1 }
                break
            }
            invalid += 1
            p += UTF8Scalar.maximalSubpartLength(p, end: end)
        }
        return (invalid, multiByte)
    }
}
