/// Decoding of one UTF-8 sequence, shared by every byte-level loop in HanFix.
enum UTF8Scalar {
    /// Returned for a byte that does not begin a complete, well-formed sequence.
    static let invalid: UInt32 = 0x11_0000

    /// Decodes the scalar at `p`, reading no further than `end`.
    ///
    /// Returns the scalar and its length in bytes; an ill-formed or truncated sequence (as
    /// defined by Unicode's Table 3-7: no overlongs, surrogates or values above U+10FFFF)
    /// yields ``invalid`` with length 1, so that callers step over exactly one byte.
    ///
    /// ASCII and three-byte sequences (every CJK block of the BMP) are decoded inline; other
    /// lengths take an out-of-line call. Away from the end of the buffer, a three-byte
    /// sequence is read as one little-endian word, whose lead and continuation bytes one mask
    /// tests: decoding is the conversion loops' largest cost after the table loads.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(p[0])
        if b0 < 0x80 { return (b0, 1) }
        if end - p >= 4 {
            let word = UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
            // 1110xxxx 10xxxxxx 10xxxxxx, byte 0 lowest.
            if word & 0x00C0_C0F0 == 0x0080_80E0 {
                let scalar = (word & 0x0F) << 12 | (word >> 2) & 0x0FC0 | (word >> 16) & 0x3F
                // Overlongs (E0 80–9F) and surrogates (ED A0–BF).
                return scalar >= 0x800 && scalar & 0xF800 != 0xD800 ? (scalar, 3) : (invalid, 1)
            }
        }
        return decodeOtherLengths(p, end: end)
    }

    /// Two- and four-byte sequences, three-byte ones within four bytes of `end`, and
    /// ill-formed bytes.
    @inline(never)
    private static func decodeOtherLengths(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (scalar: UInt32, length: Int) {
        let b0 = UInt32(p[0])
        let available = end - p
        if b0 & 0xF0 == 0xE0 {
            guard available >= 3 else { return (invalid, 1) }
            let b1 = UInt32(p[1]), b2 = UInt32(p[2])
            let scalar = (b0 & 0x0F) << 12 | (b1 & 0x3F) << 6 | b2 & 0x3F
            // Continuation bytes, then overlongs (E0 80–9F) and surrogates (ED A0–BF).
            if (b1 | b2 << 8) & 0xC0C0 == 0x8080 && scalar >= 0x800 && scalar & 0xF800 != 0xD800 {
                return (scalar, 3)
            }
            return (invalid, 1)
        }
        if b0 >= 0xC2 && b0 < 0xE0 {
            guard available >= 2, p[1] & 0xC0 == 0x80 else { return (invalid, 1) }
            return ((b0 & 0x1F) << 6 | UInt32(p[1] & 0x3F), 2)
        }
        if b0 >= 0xF0 && b0 <= 0xF4 {
            guard available >= 4 else { return (invalid, 1) }
            let b1 = UInt32(p[1]), b2 = UInt32(p[2]), b3 = UInt32(p[3])
            let lower: UInt32 = b0 == 0xF0 ? 0x90 : 0x80
            let upper: UInt32 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= lower && b1 <= upper && b2 & 0xC0 == 0x80 && b3 & 0xC0 == 0x80 else {
                return (invalid, 1)
            }
            return ((b0 & 0x07) << 18 | (b1 & 0x3F) << 12 | (b2 & 0x3F) << 6 | (b3 & 0x3F), 4)
        }
        return (invalid, 1)  // a continuation byte, C0, C1, F5–FF, or a truncated 3-byte sequence
    }

    /// The number of bytes a well-formed sequence starting with `lead` has, or 0 for a byte
    /// that cannot start one.
    @inline(__always)
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: return 1
        case 0xC2..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0...0xF4: return 4
        default: return 0
        }
    }
}

extension UTF8Scalar {
    /// The length of the maximal subpart of an ill-formed sequence at `p` (Unicode §3.9,
    /// "U+FFFD Substitution of Maximal Subparts"): the longest prefix of a well-formed sequence,
    /// or 1. Each maximal subpart becomes one U+FFFD when replacing.
    static func maximalSubpartLength(_ p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> Int {
        let lead = p[0]
        let expected = sequenceLength(lead: lead)
        guard expected > 1 else { return 1 }
        var length = 1
        while length < expected && p + length < end {
            let byte = p[length]
            let (lower, upper): (UInt8, UInt8)
            switch (length, lead) {
            case (1, 0xE0): (lower, upper) = (0xA0, 0xBF)
            case (1, 0xED): (lower, upper) = (0x80, 0x9F)
            case (1, 0xF0): (lower, upper) = (0x90, 0xBF)
            case (1, 0xF4): (lower, upper) = (0x80, 0x8F)
            default: (lower, upper) = (0x80, 0xBF)
            }
            guard byte >= lower && byte <= upper else { break }
            length += 1
        }
        return length
    }
}
