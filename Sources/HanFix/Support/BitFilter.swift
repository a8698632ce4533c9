/// The engine's side of the bit filters in the embedded tables (bigram, lexicon and
/// crossing filters): `UInt32` words, bit `n` being bit `n & 31` of word `n >> 5`.
extension UnsafePointer where Pointee == UInt32 {
    /// Whether bit `bit` is set. Complexity: one load.
    @inline(__always)
    func hasBit(_ bit: UInt32) -> Bool {
        self[Int(bit >> 5)] >> (bit & 31) & 1 != 0
    }

    /// Whether both bits of a two-bit entry are set (the blocked filters put both in one line).
    @inline(__always)
    func hasBits(_ bits: (UInt32, UInt32)) -> Bool {
        self[Int(bits.0 >> 5)] >> (bits.0 & 31) & self[Int(bits.1 >> 5)] >> (bits.1 & 31) & 1 != 0
    }
}
