@testable import HanFix
import Testing

/// The inline copy of phrase values (`Support/ShortCopy.swift`): overlapping head and tail
/// words must write exactly the bytes asked for.
@Suite("Short copies")
struct ShortCopyTests {
    @Test("copyBytes writes bytes 0..<count and nothing else, for every count up to 40")
    func everyCount() {
        let source = (0..<48).map { UInt8($0 + 1) }
        for count in 0...40 {
            var target = [UInt8](repeating: 0xEE, count: 48)
            source.withUnsafeBufferPointer { from in
                target.withUnsafeMutableBufferPointer { to in
                    to.baseAddress!.copyBytes(from: from.baseAddress!, count: count)
                }
            }
            #expect(Array(target[..<count]) == Array(source[..<count]), "count \(count)")
            #expect(target[count...].allSatisfy { $0 == 0xEE }, "count \(count)")
        }
    }
}
