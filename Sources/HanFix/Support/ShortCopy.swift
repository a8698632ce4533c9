extension UnsafeMutablePointer where Pointee == UInt8 {
    /// Copies `count` bytes from `source` to this address, inline for the short strings that
    /// phrase values and characters are.
    ///
    /// A phrase's value is 6 to 15 bytes (two to five Han characters), and calling `memcpy`
    /// for each one cost more than the copy itself. From 4 to 16 bytes this loads a head and
    /// a tail word, which overlap when `count` is not a multiple of the word size, then
    /// stores both; it reads and writes only `[0, count)`. Longer or shorter strings go to
    /// `update(from:count:)`. The ranges must not overlap.
    ///
    /// ```swift
    /// out.copyBytes(from: value, count: 9)  // two UInt64 loads and stores, bytes 0–7 and 1–8
    /// ```
    ///
    /// Complexity: O(1) up to 16 bytes, O(`count`) above.
    @inline(__always)
    func copyBytes(from source: UnsafePointer<UInt8>, count: Int) {
        let from = UnsafeRawPointer(source), to = UnsafeMutableRawPointer(self)
        if count >= 8 && count <= 16 {
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            to.storeBytes(of: tail, toByteOffset: count &- 8, as: UInt64.self)
        } else if count >= 4 && count < 8 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            to.storeBytes(of: tail, toByteOffset: count &- 4, as: UInt32.self)
        } else {
            update(from: source, count: count)
        }
    }
}
