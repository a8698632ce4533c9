/// Cuts a stream into regions that a repair can treat one at a time, the same way however the
/// stream arrives in chunks.
///
/// A region is a line: it ends after a newline. A line longer than ``maximumRun`` bytes is
/// cut every ``maximumRun`` bytes, counted from its start, at the first scalar boundary, so
/// that memory stays bounded on a single huge line. Readers of a region cut it the same way
/// (``pieceEnd(_:from:)``).
enum RegionSplitter {
    static let maximumRun = 16 * 1024

    /// The end of the piece that starts at `start`: after the first newline, or at the first
    /// scalar boundary ``maximumRun`` bytes on, or at the end of `bytes` (which must then be
    /// the end of the stream).
    static func pieceEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let limit = min(bytes.count, start + maximumRun)
        if let base = bytes.baseAddress, let lineEnd = Newlines.afterFirst(from: base + start, to: base + limit) {
            return lineEnd - base
        }
        var index = limit
        while index < bytes.count && bytes[index] & 0xC0 == 0x80 { index += 1 }
        return index
    }

    /// The end of the longest prefix of `bytes` that is made of whole pieces. `bytes` must
    /// begin where a piece begins. Complexity: O(n), reading from the end.
    static func regionsEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let lineStart = Newlines.afterLast(from: base, to: base + bytes.count).map { $0 - base } ?? 0
        // The last line: cut where its forced cuts fall, if it is long enough to have any.
        var end = lineStart
        while bytes.count - end > maximumRun {
            var index = end + maximumRun
            while index < bytes.count && bytes[index] & 0xC0 == 0x80 { index += 1 }
            guard index < bytes.count else { break }
            end = index
        }
        return end
    }
}
