/// Ambiguities are recorded as the first conversion step meets them, at offsets in the text
/// that step reads. That text can differ from the text the conversion was given in two ways,
/// both replacing one item by one scalar: compatibility ideographs are unified first
/// (U+2F800 丽, four bytes, becomes 丽, three), and under `--invalid=replace` each ill-formed
/// sequence becomes U+FFFD. Offsets are mapped back through such a change here.
extension AmbiguityRecorder {
    /// Rewrites the offsets and lengths of ``events``, which count bytes of `derived`, to
    /// count bytes of `original`, the text `derived` was made from item by item.
    ///
    /// The events must be in ascending order, as they are recorded. Each item (a scalar, or
    /// an ill-formed sequence in `original`) is matched with one scalar of `derived`; an
    /// ill-formed byte copied through unchanged is matched byte for byte.
    /// Complexity: O(n) in the length of the texts, and only when there are events.
    func mapOffsets(from derived: UnsafeBufferPointer<UInt8>, to original: UnsafeBufferPointer<UInt8>) {
        guard !events.isEmpty, let derivedBase = derived.baseAddress, let originalBase = original.baseAddress else {
            return
        }
        let derivedEnd = derivedBase + derived.count, originalEnd = originalBase + original.count
        var (derivedOffset, originalOffset) = (0, 0)
        /// The offset in `original` of the item that starts at `target` in `derived`.
        func mapped(_ target: Int) -> Int {
            while derivedOffset < target && derivedOffset < derived.count && originalOffset < original.count {
                let (derivedScalar, derivedLength) = UTF8Scalar.decode(derivedBase + derivedOffset, end: derivedEnd)
                let (originalScalar, originalLength) = UTF8Scalar.decode(originalBase + originalOffset, end: originalEnd)
                derivedOffset += derivedLength  // (an ill-formed byte decodes with length 1)
                if originalScalar == UTF8Scalar.invalid && derivedScalar != UTF8Scalar.invalid {
                    // An ill-formed sequence, replaced by its U+FFFD.
                    originalOffset += UTF8Scalar.maximalSubpartLength(originalBase + originalOffset, end: originalEnd)
                } else {
                    originalOffset += originalLength  // the same item, or a byte copied through
                }
            }
            return originalOffset
        }
        for index in events.indices {
            let start = mapped(events[index].offset)
            let end = mapped(events[index].offset + events[index].length)
            events[index].offset = start
            events[index].length = end - start
        }
    }
}
