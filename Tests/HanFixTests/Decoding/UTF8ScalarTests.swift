@testable import HanFix
import Testing

/// The decoder every conversion loop shares. A three-byte sequence is read as one word when
/// four bytes are readable and byte by byte within three bytes of a buffer's end: the two
/// paths must agree with each other and with the standard library's UTF-8 validation.
@Suite("UTF-8 scalar decoding")
struct UTF8ScalarTests {
    /// Every second byte, and third bytes on both sides of the continuation range.
    static let thirdBytes: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x81, 0xA0, 0xBF, 0xC0, 0xE4, 0xFF]

    @Test("Sequences led by E0–EF decode alike near a buffer's end and away from it, as Swift validates them")
    func threeByteSequences() {
        var mismatches: [String] = []
        for lead in UInt8(0xE0)...0xEF {
            for second in UInt8(0)...0xFF {
                for third in Self.thirdBytes {
                    let bytes: [UInt8] = [lead, second, third, 0x41]
                    let expected: (scalar: UInt32, length: Int) = String(validating: bytes[..<3], as: UTF8.self)
                        .map { ($0.unicodeScalars.first!.value, 3) } ?? (UTF8Scalar.invalid, 1)
                    bytes.withUnsafeBufferPointer { buffer in
                        let start = buffer.baseAddress!
                        for end in [start + 3, start + 4] {
                            let decoded = UTF8Scalar.decode(start, end: end)
                            if decoded.scalar != expected.scalar || decoded.length != expected.length {
                                mismatches.append("\(bytes.prefix(3)) with \(end - start) bytes readable: \(decoded)")
                            }
                        }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test("A three-byte lead with fewer than three bytes left is one invalid byte")
    func truncatedSequences() {
        let bytes: [UInt8] = [0xE6, 0xB1, 0x89]  // 汉
        bytes.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress!
            for available in 1...2 {
                let decoded = UTF8Scalar.decode(start, end: start + available)
                #expect(decoded.scalar == UTF8Scalar.invalid && decoded.length == 1, "\(available) bytes")
            }
            #expect(UTF8Scalar.decode(start, end: start + 3) == (0x6C49, 3))
        }
    }
}
