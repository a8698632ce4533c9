import HanFixTableFormat

/// Leaves text already written in a config's target script out of the script conversion
/// (HanFix's engine), so that converting text a second time, or text that was never in the
/// source script, changes nothing.
///
/// OpenCC converts every line as if it were in the source script. On a line that is already
/// in the target script that does harm: `s2twp` rereads Taiwan's words as mainland ones
/// (完整文件 "the whole document" becomes 完整檔案 "the whole file"), and `tw2sp` turns
/// Simplified text's 核心 and 智慧 into 内核 and 智能.
///
/// The evidence is OpenCC's own character tables: a character the script conversion always
/// changes belongs to the source script (发, for `s2t`), and one the reverse conversion
/// always changes to the target script (發); characters both scripts write (据, 里, 於) and
/// the Taiwan and Hong Kong standard forms that OpenCC's Traditional spells otherwise (群 for
/// 羣) count for neither. A line with any source character is converted as usual. In the other lines,
/// each *stretch*, a part between Han characters separated by spaces (word lists such as
/// 几率 機率 概率 mix scripts on purpose, item by item), is in the target script when it
/// has enough target characters (``evidenceThreshold``): two for a Traditional target, since
/// Simplified text keeps the odd Traditional character (追蹤), one for a Simplified target.
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
/// ``longestWholeLine`` is converted as usual, so the result never depends on chunking.
struct ScriptGate: Sendable {
    /// The conversion of stretches already in the target script; nil leaves them unchanged.
    let withinTarget: ConversionPlan?
    private let profiles = CharacterProfileTable.embedded
    /// The profile bits of the target and the source script's characters.
    private let targetBit: UInt8
    private let sourceBit: UInt8

    init(target: TableFormat.TargetScript, withinTarget: ConversionPlan?) {
        self.withinTarget = withinTarget
        evidenceThreshold = target == .traditional ? 2 : 1
        (targetBit, sourceBit) = target == .traditional
            ? (TableFormat.CharacterProfile.convertedByT2SBit, TableFormat.CharacterProfile.convertedByS2TBit)
            : (TableFormat.CharacterProfile.convertedByS2TBit, TableFormat.CharacterProfile.convertedByT2SBit)
    }

    /// Target-script characters a stretch needs: two for Traditional, since Simplified text
    /// keeps the odd Traditional character (追蹤, a quoted title); one for Simplified, which
    /// Traditional text has no use for.
    let evidenceThreshold: Int

    /// The longest line judged: streams wait for a line's end up to this many bytes, and a
    /// longer line, which they cut at a safe scalar to keep memory bounded, is converted as
    /// usual, in whatever pieces the input's chunks gave.
    static let longestWholeLine = 64 * 1024

    /// Calls `body` with each maximal run of stretches of `input` and whether they are
    /// already in the target script, in order. Most text gives one run, the whole input.
    /// Complexity: O(n); a line of the source script is read up to its first source
    /// character, and `memchr` skips the rest of it.
    func forEachRun(in input: UnsafeBufferPointer<UInt8>, pieces: LinePieces = [],
                    _ body: (Range<Int>, Bool) -> Void) {
        guard let base = input.baseAddress else { return }
        let end = base + input.count
        var run = (start: base, isInTarget: false)
        func enter(_ start: UnsafePointer<UInt8>, isInTarget: Bool) {
            guard isInTarget != run.isInTarget else { return }
            if start > run.start { body(run.start - base..<start - base, run.isInTarget) }
            run = (start, isInTarget)
        }
        var line = base
        while line < end {
            let (lineEnd, targetCharacters) = readLine(from: line, end: end)
            // A line too long to wait for is converted as usual, whichever of its pieces this is.
            if let targetCharacters, targetCharacters >= evidenceThreshold, lineEnd - line <= Self.longestWholeLine,
               !(line == base && pieces.contains(.startsInsideLine)), !(lineEnd == end && pieces.contains(.endsInsideLine)) {
                forEachStretch(from: line, to: lineEnd) { start, targetCharacters in
                    enter(start, isInTarget: targetCharacters >= evidenceThreshold)
                }
            } else {
                enter(line, isInTarget: false)
            }
            line = lineEnd
        }
        if end > run.start { body(run.start - base..<end - base, run.isInTarget) }
    }

    /// The end of the line that starts at `start` (after its newline, or `end`) and how many
    /// target characters it has; nil when it has a source character, or ill-formed UTF-8
    /// (which the conversion reports).
    private func readLine(from start: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>)
        -> (end: UnsafePointer<UInt8>, targetCharacters: Int?) {
        let lineEnd = Newlines.afterFirst(from: start, to: end) ?? end
        var targetCharacters = 0
        var p = start
        while p < lineEnd {
            if p[0] < 0x80 {
                // ASCII: eight bytes at a time, then byte by byte up to the next scalar.
                while lineEnd - p >= 8 && UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).isASCII {
                    p += 8
                }
                while p < lineEnd && p[0] < 0x80 { p += 1 }
                continue
            }
            let (scalar, length) = UTF8Scalar.decode(p, end: lineEnd)
            guard scalar != UTF8Scalar.invalid else { return (lineEnd, nil) }
            let script = profiles.profile(scalar)
            if script & sourceBit != 0 { return (lineEnd, nil) }
            if script & targetBit != 0 { targetCharacters += 1 }
            p += length
        }
        return (lineEnd, targetCharacters)
    }

    /// Calls `body` with the start of each stretch of the line `[start, end)` and its number
    /// of target characters. The line has no source character and valid UTF-8.
    private func forEachStretch(from start: UnsafePointer<UInt8>, to end: UnsafePointer<UInt8>,
                                _ body: (UnsafePointer<UInt8>, Int) -> Void) {
        var stretch = (start: start, targetCharacters: 0)
        var previousIsHan = false
        var spaceAfterHan = false  // the next Han character starts a stretch
        var p = start
        while p < end {
            let (scalar, length) = UTF8Scalar.decode(p, end: end)
            if CharacterProfileTable.isHan(scalar) {
                if spaceAfterHan {
                    body(stretch.start, stretch.targetCharacters)
                    stretch = (p, 0)
                }
                if profiles.profile(scalar) & targetBit != 0 { stretch.targetCharacters += 1 }
                (previousIsHan, spaceAfterHan) = (true, false)
            } else if scalar == 0x20 {
                (previousIsHan, spaceAfterHan) = (false, spaceAfterHan || previousIsHan)
            } else {
                (previousIsHan, spaceAfterHan) = (false, false)
            }
            p += length
        }
        body(stretch.start, stretch.targetCharacters)
    }
}

/// Whether a block starts or ends inside a line: a stream converts a line too long to wait
/// for in pieces, which the ``ScriptGate`` must not judge as whole lines.
struct LinePieces: OptionSet, Sendable {
    let rawValue: UInt8
    /// The block's first line began in an earlier block.
    static let startsInsideLine = LinePieces(rawValue: 1)
    /// The block's last line goes on in a later block.
    static let endsInsideLine = LinePieces(rawValue: 2)
}
