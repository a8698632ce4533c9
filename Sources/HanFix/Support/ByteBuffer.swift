/// A growable byte buffer with stable, directly addressable storage.
///
/// The conversion loops write through raw pointers after reserving the worst-case size once,
/// so they neither bounds-check nor reallocate per match. `ByteBuffer` is a class so that a
/// stream's buffers keep their capacity from chunk to chunk.
final class ByteBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int = 64 * 1024) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var isEmpty: Bool { count == 0 }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The first byte after the contents; valid for `capacity - count` bytes.
    var end: UnsafeMutablePointer<UInt8> { base + count }

    /// Makes room for `additional` more bytes. Complexity: O(count) when it grows.
    func reserve(_ additional: Int) {
        let needed = count + additional
        guard needed > capacity else { return }
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + count).update(from: start, count: bytes.count)
        count += bytes.count
    }

    func append(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Drops the first `n` bytes, moving the rest to the front. Complexity: O(count - n).
    func removeFirst(_ n: Int) {
        precondition(n <= count)
        (base).update(from: base + n, count: count - n)
        count -= n
    }

    func removeAll() { count = 0 }

    /// Empties the buffer and gives back its storage, down to `capacity` bytes (at least 16,
    /// as ``init(capacity:)`` keeps): for a buffer that once held a large block and will not
    /// need the room again.
    func removeAll(shrinkingTo capacity: Int) {
        count = 0
        let capacity = max(capacity, 16)
        guard self.capacity > capacity else { return }
        base.deallocate()
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        self.capacity = capacity
    }
}
