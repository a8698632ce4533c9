/// The compiler's side of the engine's bit filters (bigram, lexicon and crossing filters):
/// arrays of `UInt32` words, bit `n` being bit `n & 31` of word `n >> 5`.
extension Array where Element == UInt32 {
    /// Sets bit `bit`.
    mutating func setBit(_ bit: UInt32) {
        self[Int(bit >> 5)] |= 1 << (bit & 31)
    }

    /// Whether bit `bit` is set.
    func hasBit(_ bit: UInt32) -> Bool {
        self[Int(bit >> 5)] >> (bit & 31) & 1 != 0
    }
}
