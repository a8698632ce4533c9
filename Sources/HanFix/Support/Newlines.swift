import Glibc

/// Where lines end in UTF-8 bytes: one search each way, shared by every stage that cuts
/// text at line ends (a newline byte never occurs inside a multi-byte sequence).
enum Newlines {
    /// The position just after the first newline in `[start, end)`, or nil when there is
    /// none. Complexity: O(n), by `memchr`.
    @inline(__always)
    static func afterFirst(from start: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        guard start < end, let newline = memchr(start, 0x0A, end - start) else { return nil }
        return UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)) + 1
    }

    /// The position just after the last newline in `[start, end)`, or nil when there is
    /// none. Complexity: O(n) backwards, short on text with lines.
    @inline(__always)
    static func afterLast(from start: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        var p = end
        while p > start {
            p -= 1
            if p[0] == 0x0A { return p + 1 }
        }
        return nil
    }
}
