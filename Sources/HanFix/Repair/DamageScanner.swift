/// Finds irreversible damage in text, one scalar at a time, so that it can follow a stream
/// and report the same places however the stream is split. See ``DamageKind``.
///
/// - U+FFFD: every run.
/// - 锟斤拷: every run of the triple, repeated or not.
/// - 烫, 屯: runs of three or more.
/// - `?`: a run of three or more next to a Han character, or of two or more between two Han
///   characters (我??你). One `?` after Han text is punctuation.
struct DamageScanner {
    struct Finding: Equatable {
        var range: Range<Int>
        var kind: DamageKind
    }

    private enum Run {
        case none
        case replacement
        /// 锟斤拷 seen up to `next` (0: 锟 expected).
        case kunjinkao(next: Int)
        case repeated(UInt32)
        case questionMarks(afterHan: Bool)
    }

    private var run = Run.none
    private var runStart = 0
    private var runEnd = 0
    private var runCount = 0
    private var previousIsHan = false

    private static let kunjinkao: [UInt32] = [0x951F, 0x65A4, 0x62F7]  // 锟斤拷
    private static let tang: UInt32 = 0x70EB  // 烫
    private static let tun: UInt32 = 0x5C6F  // 屯

    /// Whether no run is open: then scalars that start none can be passed over with
    /// ``pass(last:)``.
    var isIdle: Bool {
        if case .none = run { return true }
        return false
    }

    /// Whether `scalar` may start a run of damage.
    @inline(__always)
    static func startsRun(_ scalar: UInt32) -> Bool {
        scalar == 0x3F || scalar == 0xFFFD || scalar == kunjinkao[0] || scalar == tang || scalar == tun
    }

    /// Passes over scalars that start no run, while idle; `last` is the last of them.
    @inline(__always)
    mutating func pass(last: UInt32) {
        previousIsHan = CharacterProfileTable.isHan(last)
    }

    /// Feeds the scalar at stream offset `offset` (`length` bytes).
    @inline(__always)
    mutating func feed(_ scalar: UInt32, offset: Int, length: Int, report: (Finding) -> Void) {
        // Only these scalars start or continue a run; anything else closes one.
        if isIdle && !Self.startsRun(scalar) {
            previousIsHan = CharacterProfileTable.isHan(scalar)
            return
        }
        if continues(scalar) {
            runEnd = offset + length
            runCount += 1
            if case .kunjinkao(let next) = run { run = .kunjinkao(next: (next + 1) % 3) }
            return
        }
        close(nextIsHan: CharacterProfileTable.isHan(scalar), report: report)
        start(scalar, offset: offset, length: length)
        if isIdle { previousIsHan = CharacterProfileTable.isHan(scalar) }
    }

    /// Moves the offsets of a run still open by `delta`: the caller counts offsets from the
    /// start of each call, and a run may go on into the next one.
    mutating func shift(by delta: Int) {
        runStart += delta
        runEnd += delta
    }

    /// Ends the stream: reports a run still open.
    mutating func finish(report: (Finding) -> Void) {
        close(nextIsHan: false, report: report)
    }

    private func continues(_ scalar: UInt32) -> Bool {
        switch run {
        case .none: return false
        case .replacement: return scalar == 0xFFFD
        case .kunjinkao(let next): return scalar == Self.kunjinkao[next]
        case .repeated(let repeated): return scalar == repeated
        case .questionMarks: return scalar == 0x3F
        }
    }

    private mutating func start(_ scalar: UInt32, offset: Int, length: Int) {
        runStart = offset
        runEnd = offset + length
        runCount = 1
        switch scalar {
        case 0xFFFD: run = .replacement
        case Self.kunjinkao[0]: run = .kunjinkao(next: 1)
        case Self.tang, Self.tun: run = .repeated(scalar)
        case 0x3F: run = .questionMarks(afterHan: previousIsHan)
        default: run = .none
        }
    }

    private mutating func close(nextIsHan: Bool, report: (Finding) -> Void) {
        let range = runStart..<runEnd
        switch run {
        case .none:
            return
        case .replacement:
            report(Finding(range: range, kind: .replacementCharacter))
            previousIsHan = false
        case .kunjinkao:
            // Whole triples only: 锟 alone, or 锟斤 then something else, is not the pattern.
            let triples = runCount / 3
            if triples > 0 {
                report(Finding(range: runStart..<runStart + triples * 9, kind: .kunjinkao))
            }
            previousIsHan = true
        case .repeated(let scalar):
            if runCount >= 3 { report(Finding(range: range, kind: scalar == Self.tang ? .tangtang : .tuntun)) }
            previousIsHan = true
        case .questionMarks(let afterHan):
            if (runCount >= 3 && (afterHan || nextIsHan)) || (runCount >= 2 && afterHan && nextIsHan) {
                report(Finding(range: range, kind: .questionMarks))
            }
            previousIsHan = false
        }
        run = .none
    }
}
