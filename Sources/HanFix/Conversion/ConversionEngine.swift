/// How a ``Converter`` segments text before converting it.
///
/// Both engines use OpenCC 1.4.2's dictionaries and configs.
public enum ConversionEngine: String, Sendable, CaseIterable {
    /// HanFix's engine, the default. It differs from OpenCC in three ways, each documented in
    /// `docs/ACCURACY.md`:
    /// - where OpenCC's longest match crosses a word (被发明 → 被髮明), the region is
    ///   segmented by word frequency instead (被發明);
    /// - text already in the target script stays as it is: a second pass changes nothing;
    /// - context rules for characters OpenCC leaves or gets wrong, such as 著 → 着 in
    ///   Traditional-to-Simplified conversion (我看著他 → 我看着他).
    case hanfix
    /// OpenCC 1.4.2's greedy maximum matching, byte for byte.
    case opencc
}
