/// Eight bytes at a time: the word-at-a-time tests the byte scans share (ASCII runs, bytes
/// equal to a given one), on a `UInt64` read from the text, byte 0 in the lowest lane.
extension UInt64 {
    /// `byte` in every lane.
    @inline(__always)
    static func lanes(of byte: UInt8) -> UInt64 {
        UInt64(byte) &* 0x0101_0101_0101_0101
    }

    /// Whether all eight bytes are ASCII.
    @inline(__always)
    var isASCII: Bool { self & 0x8080_8080_8080_8080 == 0 }

    /// The lanes that are zero, as their high bits (the classic has-zero-byte test). A borrow
    /// can also flag a lane above a zero lane, so only the lowest flag is exact; callers take
    /// that one, or check each flagged lane.
    @inline(__always)
    var zeroLanes: UInt64 { (self &- 0x0101_0101_0101_0101) & ~self & 0x8080_8080_8080_8080 }

    /// The lanes equal to `byte`, as their high bits; see ``zeroLanes``.
    @inline(__always)
    func lanes(equalTo byte: UInt8) -> UInt64 { (self ^ .lanes(of: byte)).zeroLanes }
}
