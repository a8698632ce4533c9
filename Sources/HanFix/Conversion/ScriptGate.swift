import Glibc
import HanFixTableFormat

/// Leaves lines already written in a config's target script out of the script conversion
/// (HanFix's engine), so that converting text a second time, or text that was never in the
/// source script, changes nothing.
///
/// OpenCC converts every line as if it were in the source script. On a line that is already
/// in the target script that does harm: `s2twp` rereads Taiwan's words as mainland ones
/// (完整文件 "the whole document" becomes 完整檔案 "the whole file"), and `tw2sp` turns
/// Simplified text's 核心 and 智慧 into 内核 and 智能.
///
/// The unit is a *stretch*: a line, or a part of one between Han characters separated by
/// spaces (word lists such as 几率 機率 概率 mix scripts on purpose, item by item). The
/// evidence is OpenCC's own character tables: a character the script conversion changes by
/// default belongs to the source script (发 for `s2t`), and one the reverse conversion
/// changes belongs to the target script (發). A stretch is in the target script when
/// - it has at least two target characters: one is too little, since Simplified text keeps
///   the odd Traditional character (追蹤);
/// - it has no source character;
/// - and if it has a source character that the target script writes too (据 in 拮据, 里 in
///   公里, 征), its line has no other sign of the source script (數据庫 in a line of
///   Simplified words is a slip, 埃里克 among 過 and 寫 is not).
///
/// Such a stretch goes to ``withinTarget``: the steps after the script conversion, keeping
/// the region's own words (`s2twp`: 爲 → 為 and 數據庫 → 資料庫, but 文件 stays), or
/// nothing. Every other stretch is converted as usual.
///
/// ```swift
/// Converter(.s2twp).convert("完整文件請見附錄")  // "完整文件請見附錄" (already Traditional)
/// Converter(.s2twp).convert("完整文件请见附录")  // "完整檔案請見附錄"
/// ```
///
/// A stretch never extends past a line, so streams of these configs cut only at line ends
/// (``Converter/lastSafeCut(in:searchFrom:)``); a line longer than
/// ``ConversionStage/longRunLimit`` is judged in pieces.
struct ScriptGate: Sendable {
    /// The script the config writes.
    let target: TableFormat.TargetScript
    /// The conversion of lines already in the target script; nil leaves them unchanged.
    let withinTarget: ConversionPlan?
    private let profiles = CharacterProfileTable.embedded

    init(target: TableFormat.TargetScript, withinTarget: ConversionPlan?) {
        self.target = target
        self.withinTarget = withinTarget
    }

    /// Target-script characters a stretch needs.
    static let evidenceThreshold = 2

    /// What a stretch holds, as far as it was read.
    private struct Stretch {
        var start: UnsafePointer<UInt8>
        var targetCharacters = 0
        /// A character of the source script only (发): the stretch is converted.
        var sawSource = false
        /// A source character the target script writes too (据).
        var sawSharedSource = false
    }

    /// Calls `body` with each maximal run of stretches of `input` and whether they are
    /// already in the target script, in order. Most text gives one run, the whole input.
    /// Complexity: O(n); a stretch is read only up to its first character of the source
    /// script, and `memchr` skips the rest of it.
    func forEachRun(in input: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Bool) -> Void) {
        guard let base = input.baseAddress else { return }
        let end = base + input.count
        typealias Profile = TableFormat.CharacterProfile
        let (targetBit, sourceBit) = target == .traditional
            ? (Profile.convertsToSimplifiedBit, Profile.convertsToTraditionalBit)
            : (Profile.convertsToTraditionalBit, Profile.convertsToSimplifiedBit)
        var run = (start: base, isInTarget: false)
        var stretches: [Stretch] = []  // of the current line
        var lineHasSource = false
        /// Decides the line's stretches, now that the whole line is known, and ends it at `lineEnd`.
        func closeLine(at lineEnd: UnsafePointer<UInt8>) {
            for stretch in stretches {
                let isInTarget = stretch.targetCharacters >= Self.evidenceThreshold && !stretch.sawSource
                    && !(stretch.sawSharedSource && lineHasSource)
                if isInTarget != run.isInTarget {
                    if stretch.start > run.start { body(run.start - base..<stretch.start - base, run.isInTarget) }
                    run = (stretch.start, isInTarget)
                }
            }
            stretches.removeAll(keepingCapacity: true)
            stretches.append(Stretch(start: lineEnd))
            lineHasSource = false
        }
        stretches.append(Stretch(start: base))
        var p = base
        var previousIsHan = false
        /// Spaces follow a Han character: the next Han character starts a stretch.
        var spaceAfterHan = false
        while p < end {
            let byte = p[0]
            if byte < 0x80 {
                p += 1
                if byte == 0x0A {
                    closeLine(at: p)
                    (previousIsHan, spaceAfterHan) = (false, false)
                } else if byte == 0x20 {
                    spaceAfterHan = spaceAfterHan || previousIsHan
                    previousIsHan = false
                } else {
                    (previousIsHan, spaceAfterHan) = (false, false)
                }
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            guard scalar != UTF8Scalar.invalid, CharacterProfileTable.isHan(scalar) else {
                // Ill-formed UTF-8 is left to the conversion, which reports it.
                if scalar == UTF8Scalar.invalid { stretches[stretches.count - 1].sawSource = true }
                (previousIsHan, spaceAfterHan) = (false, false)
                p += scalar == UTF8Scalar.invalid ? 1 : length
                continue
            }
            if spaceAfterHan { stretches.append(Stretch(start: p)) }
            (previousIsHan, spaceAfterHan) = (true, false)
            let profile = profiles.scriptBits(scalar)
            if profile & sourceBit != 0 {
                if profile & Profile.alsoOtherScriptBit != 0 {
                    stretches[stretches.count - 1].sawSharedSource = true
                } else {
                    stretches[stretches.count - 1].sawSource = true
                    lineHasSource = true
                    // Nothing else in this stretch matters: go on at the next space of the line.
                    p = Self.nextSpace(from: p + length, end: end)
                    previousIsHan = Self.endsWithHan(p, floor: base)
                    continue
                }
            } else if profile & targetBit != 0 && profile & Profile.alsoOtherScriptBit == 0 {
                stretches[stretches.count - 1].targetCharacters += 1
            }
            p += length
        }
        closeLine(at: end)
        if end > run.start { body(run.start - base..<end - base, run.isInTarget) }
    }

    /// The first space or newline at or after `p`, or `end`.
    private static func nextSpace(from p: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        let lineEnd = memchr(p, 0x0A, end - p).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? end
        return memchr(p, 0x20, lineEnd - p).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) } ?? lineEnd
    }

    /// Whether the scalar that ends at `p`, after `floor`, is a Han character.
    private static func endsWithHan(_ p: UnsafePointer<UInt8>, floor: UnsafePointer<UInt8>) -> Bool {
        guard p > floor else { return false }
        var start = p - 1
        while start > floor && start[0] & 0xC0 == 0x80 && p - start < 4 { start -= 1 }
        let (scalar, length) = UTF8Scalar.decode(start, end: p)
        return start + length == p && CharacterProfileTable.isHan(scalar)
    }
}
