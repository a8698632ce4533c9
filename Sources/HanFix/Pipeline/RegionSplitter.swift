/// Cuts a stream into regions that a repair can treat one at a time, the same way however the
/// stream arrives in chunks.
///
/// A region ends after an ASCII byte (other than the backslash, which a repair may need to
/// see with the character after it); no garbled stretch spans one. A stretch with no such
/// byte is cut every ``maximumRun`` bytes, counted from its start, at a scalar boundary, so
/// that memory stays bounded on a single huge line of Han text.
struct RegionSplitter {
    static let maximumRun = 16 * 1024

    /// The end of the longest prefix of `bytes` that is made of whole regions. `bytes` must
    /// begin where a region begins.
    static func regionsEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var end = 0
        var runStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte < 0x80 && byte != 0x5C {
                end = index
                runStart = index
            } else if index - runStart >= maximumRun && index < bytes.count && bytes[index] & 0xC0 != 0x80 {
                end = index
                runStart = index
            }
        }
        return end
    }
}
