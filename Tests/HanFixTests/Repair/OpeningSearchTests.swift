@testable import HanFix
import Testing

/// The search for a note's opening bracket (`AnnotationScanner.nextOpening`), which looks at
/// sixteen positions at a time: an opening must be found wherever it starts, including a "（"
/// whose last bytes lie past the last whole sixteen.
@Suite("Opening search")
struct OpeningSearchTests {
    /// The first opening in `text[start...]` by a plain byte-by-byte search.
    static func expected(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            if bytes[index] == 0x28 { return index }
            if index + 2 < bytes.count && bytes[index] == 0xEF && bytes[index + 1] == 0xBC && bytes[index + 2] == 0x88 {
                return index
            }
            index += 1
        }
        return bytes.count
    }

    @Test("Every position of ( and （ in texts of 1 to 40 bytes, from every start")
    func everyPosition() {
        var mismatches: [String] = []
        for length in 1...40 {
            for opening in ["(", "（"] {
                for position in 0..<length {
                    var text = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    let bracket = Array(opening.utf8)
                    guard position + bracket.count <= length else { continue }
                    text.replaceSubrange(position..<(position + bracket.count), with: bracket)
                    for start in 0...position {
                        let found = text.withUnsafeBufferPointer {
                            AnnotationScanner.nextOpening(in: $0.baseAddress!, from: start, limit: length)
                        }
                        if found != Self.expected(text, from: start) {
                            mismatches.append("\(opening) at \(position) of \(length), from \(start): \(found)")
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("A （ that starts 14 or 15 bytes into the last sixteen is found (session 6's search missed it)")
    func fullwidthAtTheEnd() {
        for prefix in [14, 15] {
            let text = Array(String(repeating: "a", count: prefix).utf8) + Array("（".utf8)
            let found = text.withUnsafeBufferPointer {
                AnnotationScanner.nextOpening(in: $0.baseAddress!, from: 0, limit: text.count)
            }
            #expect(found == prefix)
        }
    }
}
