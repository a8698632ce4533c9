extension TextNormalizer {
    /// Named HTML entities worth unescaping in Chinese text: markup's own, spaces, quotes and
    /// the punctuation and symbols pages spell out.
    static let namedEntities: [String: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0,
        "ldquo": 0x201C, "rdquo": 0x201D, "lsquo": 0x2018, "rsquo": 0x2019, "hellip": 0x2026,
        "mdash": 0x2014, "ndash": 0x2013, "middot": 0xB7, "bull": 0x2022, "times": 0xD7, "divide": 0xF7,
        "copy": 0xA9, "reg": 0xAE, "trade": 0x2122, "deg": 0xB0, "yen": 0xA5, "plusmn": 0xB1,
        "laquo": 0xAB, "raquo": 0xBB, "emsp": 0x2003, "ensp": 0x2002, "thinsp": 0x2009,
    ]

    /// The character an escape at `p` names and the escape's length: `&#21457;`, `&#x53D1;`,
    /// `&amp;`, `\u53D1`, or a surrogate pair `\uD83D\uDE00`. Nil for anything else,
    /// including escapes of surrogates alone, NUL, and values beyond U+10FFFF.
    static func escape(at p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> (UInt32, Int)? {
        let available = end - p
        if p[0] == UInt8(ascii: "\\") {
            guard let high = unicodeEscape(p, available: available) else { return nil }
            if (0xD800...0xDBFF).contains(high), available >= 12, let low = unicodeEscape(p + 6, available: available - 6),
               (0xDC00...0xDFFF).contains(low) {
                return (0x10000 + (high - 0xD800) << 10 + (low - 0xDC00), 12)
            }
            return isScalar(high) ? (high, 6) : nil
        }
        // "&", then "#" digits, "#x" hex digits, or a name; then ";".
        var length = 1
        var value: UInt32 = 0
        if available > 2 && p[1] == UInt8(ascii: "#") {
            let hex = p[2] | 0x20 == UInt8(ascii: "x")
            length = hex ? 3 : 2
            let digitsStart = length
            while length < min(available, digitsStart + 8), let digit = digitValue(p[length], hex: hex) {
                value = value * (hex ? 16 : 10) + digit
                length += 1
            }
            guard length > digitsStart, length < available, p[length] == UInt8(ascii: ";"), isScalar(value) else { return nil }
            return (value, length + 1)
        }
        while length < min(available, 10), (p[length] | 0x20) >= UInt8(ascii: "a"), (p[length] | 0x20) <= UInt8(ascii: "z") {
            length += 1
        }
        guard length > 1, length < available, p[length] == UInt8(ascii: ";") else { return nil }
        let name = String(decoding: UnsafeBufferPointer(start: p + 1, count: length - 1), as: UTF8.self)
        guard let named = namedEntities[name] else { return nil }
        return (named, length + 1)
    }

    private static func unicodeEscape(_ p: UnsafePointer<UInt8>, available: Int) -> UInt32? {
        guard available >= 6, p[0] == UInt8(ascii: "\\"), p[1] == UInt8(ascii: "u") else { return nil }
        var value: UInt32 = 0
        for index in 2..<6 {
            guard let digit = digitValue(p[index], hex: true) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func digitValue(_ byte: UInt8, hex: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: return UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: return UInt32(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func isScalar(_ value: UInt32) -> Bool {
        value > 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value)
    }
}
