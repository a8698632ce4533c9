/// What `--format` protects from conversion: the parts of a text that are not prose.
public enum TextFormat: String, CaseIterable, Sendable {
    /// Nothing is protected (the default, and the fastest).
    case plain
    /// URLs and e-mail addresses.
    case text
    /// Also code spans (`…`) and fenced code blocks (``` or ~~~).
    case markdown
    /// Also tags with their attributes, comments, and the contents of `<script>`, `<style>`,
    /// `<code>` and `<pre>`; text nodes are converted.
    case html
}

/// A stretch of a line that conversion must not touch: kept as it is, or replaced (a user
/// dictionary's value; the contents of MediaWiki `-{…}-` markup without its markers).
struct ProtectedSpan: Equatable {
    var range: Range<Int>
    var replacement: [UInt8]?
}

/// Finds the protected spans of a stream, line by line; state (an open fence, an open
/// `<pre>`) carries over from line to line.
struct ProtectedSpanFinder {
    let format: TextFormat
    let markup: Bool
    private var inFence = false
    private var fenceMarker: [UInt8] = []
    /// The closing tag being waited for (`</pre>`, `</script>` …), or an open tag or comment.
    private var htmlUntil: [UInt8]?

    init(format: TextFormat, markup: Bool) {
        self.format = format
        self.markup = markup
    }

    /// The spans of `line` (which ends with its newline, if it has one), sorted and disjoint.
    mutating func spans(in line: UnsafeBufferPointer<UInt8>) -> [ProtectedSpan] {
        var spans: [ProtectedSpan] = []
        if format == .markdown, let fence = fenceSpan(line) { return [fence] }
        var index = 0
        // Where the current token ends, when it holds no URL or e-mail address: no position
        // before that can start one (each would read the same token's tail).
        var plainTokenEnd = 0
        if format == .html, let until = htmlUntil {
            // Inside a raw element, a tag or a comment opened on an earlier line.
            if let close = Self.find(until, in: line, from: 0) {
                spans.append(ProtectedSpan(range: 0..<close + until.count, replacement: nil))
                index = close + until.count
                htmlUntil = nil
            } else {
                return [ProtectedSpan(range: 0..<line.count, replacement: nil)]
            }
        }
        while index < line.count {
            let byte = line[index]
            if markup && byte == UInt8(ascii: "-") && index + 1 < line.count && line[index + 1] == UInt8(ascii: "{"),
               let close = Self.find(Array("}-".utf8), in: line, from: index + 2) {
                // -{…}-: the contents verbatim, the markers gone.
                spans.append(ProtectedSpan(range: index..<close + 2, replacement: Array(line[(index + 2)..<close])))
                index = close + 2
                continue
            }
            if format == .markdown && byte == UInt8(ascii: "`") {
                var ticks = index
                while ticks < line.count && line[ticks] == UInt8(ascii: "`") { ticks += 1 }
                let run = Array(repeating: UInt8(ascii: "`"), count: ticks - index)
                if let close = Self.find(run, in: line, from: ticks) {
                    spans.append(ProtectedSpan(range: index..<close + run.count, replacement: nil))
                    index = close + run.count
                } else {
                    index = ticks
                }
                continue
            }
            if format == .html && byte == UInt8(ascii: "<"), let end = htmlSpan(line, at: index) {
                spans.append(ProtectedSpan(range: index..<end, replacement: nil))
                index = end
                continue
            }
            if format != .plain, index >= plainTokenEnd, Self.mayStartToken(line, at: index) {
                let tokenEnd = Self.tokenEnd(line, from: index)
                if !Self.mayHoldURLOrEmail(line, index..<tokenEnd) {
                    plainTokenEnd = tokenEnd
                } else if let end = Self.urlOrEmail(line, at: index, tokenEnd: tokenEnd) {
                    spans.append(ProtectedSpan(range: index..<end, replacement: nil))
                    index = end
                    continue
                }
            }
            index += 1
        }
        return spans
    }

    /// A fenced code block's line (fence lines included), or nil.
    private mutating func fenceSpan(_ line: UnsafeBufferPointer<UInt8>) -> ProtectedSpan? {
        var start = 0
        while start < line.count && start < 3 && line[start] == UInt8(ascii: " ") { start += 1 }
        let marker: [UInt8]? = Self.hasPrefix(line, Array("```".utf8), at: start) ? Array("```".utf8)
            : Self.hasPrefix(line, Array("~~~".utf8), at: start) ? Array("~~~".utf8) : nil
        if inFence {
            if let marker, marker == fenceMarker { inFence = false }
            return ProtectedSpan(range: 0..<line.count, replacement: nil)
        }
        guard let marker else { return nil }
        inFence = true
        fenceMarker = marker
        return ProtectedSpan(range: 0..<line.count, replacement: nil)
    }

    /// The end of a tag, comment or raw element starting at `index`; a tag left open at the
    /// end of the line protects the rest of the line and waits for its end.
    private mutating func htmlSpan(_ line: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        guard index + 1 < line.count else { return nil }
        let next = line[index + 1]
        guard next == UInt8(ascii: "/") || next == UInt8(ascii: "!") || (next | 0x20) >= UInt8(ascii: "a") && (next | 0x20) <= UInt8(ascii: "z")
        else { return nil }
        if Self.hasPrefix(line, Array("<!--".utf8), at: index) {
            if let close = Self.find(Array("-->".utf8), in: line, from: index + 4) { return close + 3 }
            htmlUntil = Array("-->".utf8)
            return line.count
        }
        guard let close = Self.find([UInt8(ascii: ">")], in: line, from: index + 1) else {
            htmlUntil = [UInt8(ascii: ">")]
            return line.count
        }
        // Raw elements: their contents are not text to convert.
        var name: [UInt8] = []
        var cursor = index + 1
        while cursor < close && ((line[cursor] | 0x20) >= UInt8(ascii: "a") && (line[cursor] | 0x20) <= UInt8(ascii: "z")) {
            name.append(line[cursor] | 0x20)
            cursor += 1
        }
        if ["script", "style", "code", "pre"].contains(String(decoding: name, as: UTF8.self)) {
            let closing = Array("</".utf8) + name + [UInt8(ascii: ">")]
            if let end = Self.findIgnoringCase(closing, in: line, from: close + 1) { return end + closing.count }
            htmlUntil = closing
            return line.count
        }
        return close + 1
    }

    /// Whether a URL or e-mail address may start at `index`: an ASCII byte after a byte that
    /// is not a letter or digit.
    private static func mayStartToken(_ line: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        line[index] < 0x80 && (index == 0 || !isWordByte(line[index - 1]))
    }

    /// The end of the token that starts at `index`: it runs to a space, a quote or bracket, or
    /// CJK punctuation (Chinese in a domain or path is part of it).
    private static func tokenEnd(_ line: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var end = index
        while end < line.count && !endsToken(line[end]) {
            // Internationalized names are part of it; CJK and fullwidth punctuation end it.
            if line[end] == 0xE3 && end + 1 < line.count && line[end + 1] == 0x80 { break }
            if line[end] == 0xEF && end + 1 < line.count && (line[end + 1] == 0xBC || line[end + 1] == 0xBD) { break }
            end += 1
        }
        return end
    }

    /// A space or control character, a quote, a bracket or a backtick.
    private static func endsToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0...0x20, 0x7F, UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "<"), UInt8(ascii: ">"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
             UInt8(ascii: "}"), UInt8(ascii: "`"):
            return true
        default:
            return false
        }
    }

    /// Whether `range` holds what every URL or e-mail address has: `@`, `://` or `www.`.
    /// Complexity: O(n), without allocating, so that ordinary words cost one pass.
    private static func mayHoldURLOrEmail(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for index in range {
            switch line[index] {
            case UInt8(ascii: "@"): return true
            case UInt8(ascii: ":"):
                if index + 3 <= range.upperBound && line[index + 1] == UInt8(ascii: "/") && line[index + 2] == UInt8(ascii: "/") {
                    return true
                }
            case UInt8(ascii: "w"), UInt8(ascii: "W"):
                if index + 4 <= range.upperBound && (0..<3).allSatisfy({ line[index + $0] | 0x20 == UInt8(ascii: "w") })
                    && line[index + 3] == UInt8(ascii: ".") { return true }
            default: break
            }
        }
        return false
    }

    /// The end of a URL (scheme:// or www.) or e-mail address starting at `index` and lying
    /// in the token that ends at `tokenEnd`, less trailing punctuation; nil when it is neither.
    private static func urlOrEmail(_ line: UnsafeBufferPointer<UInt8>, at index: Int, tokenEnd: Int) -> Int? {
        var end = tokenEnd
        guard end > index else { return nil }
        let token = String(decoding: UnsafeBufferPointer(rebasing: line[index..<end]), as: UTF8.self)
        let isURL = token.contains("://") && token.first!.isLetter || token.lowercased().hasPrefix("www.")
        let parts = token.split(separator: "@", omittingEmptySubsequences: false)
        let isEmail = parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasSuffix(".")
        guard isURL || isEmail else { return nil }
        while end > index && ".,;:!?".utf8.contains(line[end - 1]) { end -= 1 }
        return end
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    static func hasPrefix(_ line: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8], at index: Int) -> Bool {
        index + prefix.count <= line.count && prefix.indices.allSatisfy { line[index + $0] == prefix[$0] }
    }

    static func find(_ needle: [UInt8], in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard needle.count <= line.count else { return nil }
        var index = start
        while index + needle.count <= line.count {
            if hasPrefix(line, needle, at: index) { return index }
            index += 1
        }
        return nil
    }

    static func findIgnoringCase(_ needle: [UInt8], in line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start
        while index + needle.count <= line.count {
            if needle.indices.allSatisfy({ (line[index + $0] | 0x20) == (needle[$0] | 0x20) }) { return index }
            index += 1
        }
        return nil
    }
}
