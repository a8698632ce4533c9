import Glibc

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
        if let base = bytes.baseAddress, let newline = memchr(base + start, 0x0A, limit - start) {
            return UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) - base + 1
        }
        var index = limit
        while index < bytes.count && bytes[index] & 0xC0 == 0x80 { index += 1 }
        return index
    }

    /// The end of the longest prefix of `bytes` that is made of whole pieces. `bytes` must
    /// begin where a piece begins. Complexity: O(n), reading from the end.
    static func regionsEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var lineStart = bytes.count
        while lineStart > 0 && bytes[lineStart - 1] != 0x0A { lineStart -= 1 }
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
