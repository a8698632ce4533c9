@testable import HanFix
import Testing

/// The lattice's resolved regions (`PhraseMatcher+Lattice.swift`).
@Suite("Lattice regions")
struct LatticeTests {
    @Test("A path's bitmap of segment ends covers the whole window a region can lie in")
    func windowFitsThePath() {
        #expect(4 * PhraseMatcher.windowScalars <= PhraseMatcher.LatticePath.maximumBytes)
    }

    @Test("Long runs of crossing phrases without punctuation resolve region by region")
    func longRuns() {
        // 被发 crosses 发明 in every repetition, so regions follow one another for 200 characters.
        let text = String(repeating: "被发明的人", count: 40)
        #expect(Converter(.s2t).convert(text) == String(repeating: "被發明的人", count: 40))
    }
}
