/// Maps offsets in the repaired stream back to the input, so that a later stage can report
/// an error at the offset the user's file has.
///
/// The repair stage records where it removed bytes; the conversion stage asks for the input
/// offset of a bad byte and drops what it has consumed, which keeps the record to the spans
/// still in flight (bounded memory, however long the stream).
final class RepairedOffsets: @unchecked Sendable {
    // @unchecked: one stream uses it, from one thread at a time.
    /// (repaired-stream offset of the first byte after a removal, bytes removed up to there).
    private var checkpoints: [(repaired: Int, removed: Int)] = []
    private var first = 0
    /// Bytes removed before the first checkpoint still kept.
    private var removedBefore = 0
    private var totalRemoved = 0

    func recordRemoval(at repairedOffset: Int, length: Int) {
        totalRemoved += length
        checkpoints.append((repairedOffset, totalRemoved))
    }

    /// The input offset of the byte at `repairedOffset`.
    func inputOffset(of repairedOffset: Int) -> Int {
        var removed = removedBefore
        var index = first
        while index < checkpoints.count && checkpoints[index].repaired <= repairedOffset {
            removed = checkpoints[index].removed
            index += 1
        }
        return repairedOffset + removed
    }

    /// Forgets removals before `repairedOffset`: no later question concerns them.
    func discard(before repairedOffset: Int) {
        while first < checkpoints.count && checkpoints[first].repaired <= repairedOffset {
            removedBefore = checkpoints[first].removed
            first += 1
        }
        if first > 1024 && first * 2 > checkpoints.count {
            checkpoints.removeFirst(first)
            first = 0
        }
    }
}
