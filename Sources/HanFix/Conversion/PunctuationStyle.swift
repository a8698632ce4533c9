/// Which quotation marks a conversion writes (`--punctuation`): Taiwan and Hong Kong use corner
/// brackets 「」『』 where the Mainland uses “”‘’.
public enum PunctuationStyle: String, Sendable {
    /// “” → 「」 and ‘’ → 『』.
    case cornerBrackets
    /// 「」 → “” and 『』 → ‘’.
    case curlyQuotes

    /// The style a conversion's target uses: corner brackets for Taiwan and Hong Kong, curly
    /// quotes for Simplified; nil for a target with no regional standard.
    public init?(target configuration: ConversionConfiguration) {
        switch configuration {
        case .s2tw, .s2twp, .s2hk, .s2hkp, .t2tw, .t2hk: self = .cornerBrackets
        case .tw2s, .tw2sp, .hk2s, .hk2sp: self = .curlyQuotes
        default: return nil
        }
    }
}

/// Swaps quotation marks after conversion (``PunctuationStyle``). Each mark is three bytes in
/// UTF-8 either way, so the text is rewritten in place; a mark cut by a chunk boundary waits.
/// A ’ between two letters is an apostrophe (don’t) and stays.
struct PunctuationStage: StreamingStage {
    let style: PunctuationStyle
    private let pending = ByteBuffer(capacity: 16)
    /// Whether the character before the chunk is an ASCII letter, for apostrophes.
    private var letterBefore = false

    init(style: PunctuationStyle) {
        self.style = style
    }

    mutating func process(_ input: UnsafeBufferPointer<UInt8>, isFinal: Bool, into output: ByteBuffer) throws -> Int? {
        output.append(pending.bytes)
        pending.removeAll()
        output.append(input)
        // Keep a mark cut by the chunk's end, and a whole ’ at the end, whose fate depends
        // on the character after it.
        var end = output.count
        if !isFinal {
            let base = output.base
            if end >= 1 && (base[end - 1] == 0xE2 || base[end - 1] == 0xE3) {
                end -= 1
            } else if end >= 2 && (base[end - 2] == 0xE2 || base[end - 2] == 0xE3) && base[end - 1] & 0xC0 == 0x80 {
                end -= 2
            } else if end >= 3 && base[end - 3] == 0xE2 && base[end - 2] == 0x80 && base[end - 1] == 0x99 {
                end -= 3
            }
        }
        rewrite(UnsafeMutableBufferPointer(start: output.base, count: end))
        if end < output.count {
            pending.append(UnsafeBufferPointer(start: output.base + end, count: output.count - end))
            output.count = end
        }
        return nil
    }

    private mutating func rewrite(_ text: UnsafeMutableBufferPointer<UInt8>) {
        var index = 0
        while index + 2 < text.count {
            let byte = text[index]
            if style == .cornerBrackets && byte == 0xE2 && text[index + 1] == 0x80 {
                let replacement: UInt8?
                switch text[index + 2] {
                case 0x9C: replacement = 0x8C  // “ → 「
                case 0x9D: replacement = 0x8D  // ” → 」
                case 0x98: replacement = 0x8E  // ‘ → 『
                case 0x99:                     // ’ → 』, unless an apostrophe
                    let letterAfter = index + 3 < text.count && Self.isLetter(text[index + 3])
                    let before = index > 0 ? Self.isLetter(text[index - 1]) : letterBefore
                    replacement = before && letterAfter ? nil : 0x8F
                default: replacement = nil
                }
                if let replacement {
                    text[index] = 0xE3
                    text[index + 1] = 0x80
                    text[index + 2] = replacement
                }
                index += 3
                continue
            }
            if style == .curlyQuotes && byte == 0xE3 && text[index + 1] == 0x80 && (0x8C...0x8F).contains(text[index + 2]) {
                let marks: [UInt8] = [0x9C, 0x9D, 0x98, 0x99]  // 「」『』 → “”‘’
                text[index] = 0xE2
                text[index + 1] = 0x80
                text[index + 2] = marks[Int(text[index + 2] - 0x8C)]
                index += 3
                continue
            }
            index += 1
        }
        if !text.isEmpty { letterBefore = Self.isLetter(text[text.count - 1]) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }
}
