import Glibc

/// A set of bytes to look for, found with `memchr` when there is one (the default: only
/// radicals, lead byte E2), with a 256-bit mask otherwise.
struct StartBytes {
    private let single: UInt8?
    private let mask: (UInt64, UInt64, UInt64, UInt64)

    init(_ bytes: [UInt8]) {
        var words: [UInt64] = [0, 0, 0, 0]
        for byte in bytes { words[Int(byte >> 6)] |= 1 << (byte & 63) }
        mask = (words[0], words[1], words[2], words[3])
        single = Set(bytes).count == 1 ? bytes[0] : nil
    }

    @inline(__always)
    private func contains(_ byte: UInt8) -> Bool {
        let word: UInt64
        switch byte >> 6 {
        case 0: word = mask.0
        case 1: word = mask.1
        case 2: word = mask.2
        default: word = mask.3
        }
        return word >> (byte & 63) & 1 != 0
    }

    /// The index of the first byte of the set in `text` at or after `start`, or its count.
    @inline(__always)
    func next(in text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < text.count, let base = text.baseAddress else { return text.count }
        if let single {
            guard let found = memchr(base + start, Int32(single), text.count - start) else { return text.count }
            return UnsafePointer(found.assumingMemoryBound(to: UInt8.self)) - base
        }
        if mask == (0, 0, 0, 0) { return text.count }
        var index = start
        while index < text.count && !contains(text[index]) { index += 1 }
        return index
    }
}
