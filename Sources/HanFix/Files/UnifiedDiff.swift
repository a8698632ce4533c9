/// A unified diff of two texts, as `diff -u` prints it, for `--diff`.
///
/// Conversion and repair never add or remove a line break, so the lines of the two texts
/// pair up one for one and the hunks are the runs of changed lines with three lines of
/// context around them. Texts whose line counts differ get one hunk for the whole text.
///
/// ```swift
/// UnifiedDiff.make(old: "头发\n", new: "頭髮\n", oldName: "a/x.txt", newName: "b/x.txt")
/// // --- a/x.txt\n+++ b/x.txt\n@@ -1 +1 @@\n-头发\n+頭髮\n
/// ```
public enum UnifiedDiff {
    static let context = 3

    /// The diff, or "" when the texts are equal.
    public static func make(old: String, new: String, oldName: String, newName: String) -> String {
        guard old != new else { return "" }
        let oldLines = lines(old), newLines = lines(new)
        var output = "--- \(oldName)\n+++ \(newName)\n"
        guard oldLines.count == newLines.count else {
            output += "@@ -\(range(1, oldLines.count)) +\(range(1, newLines.count)) @@\n"
            output += oldLines.map { "-" + $0 }.joined() + newLines.map { "+" + $0 }.joined()
            return output
        }
        let changed = oldLines.indices.filter { oldLines[$0] != newLines[$0] }
        var index = 0
        while index < changed.count {
            // Join changes closer than twice the context into one hunk.
            var last = index
            while last + 1 < changed.count && changed[last + 1] - changed[last] <= 2 * context { last += 1 }
            let start = max(0, changed[index] - context), end = min(oldLines.count, changed[last] + context + 1)
            output += "@@ -\(range(start + 1, end - start)) +\(range(start + 1, end - start)) @@\n"
            var line = start
            while line < end {
                if oldLines[line] == newLines[line] {
                    output += " " + oldLines[line]
                    line += 1
                    continue
                }
                // A run of changed lines: the old ones, then the new ones, as diff prints them.
                var runEnd = line
                while runEnd < end && oldLines[runEnd] != newLines[runEnd] { runEnd += 1 }
                output += oldLines[line..<runEnd].map { "-" + $0 }.joined() + newLines[line..<runEnd].map { "+" + $0 }.joined()
                line = runEnd
            }
            index = last + 1
        }
        return output
    }

    /// Lines with their line breaks; a last line without one gets diff's marker.
    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        if text.hasSuffix("\n") || text.isEmpty {
            lines.removeLast()
        } else {
            lines[lines.count - 1] = String(lines[lines.count - 1].dropLast()) + "\n\\ No newline at end of file\n"
        }
        return lines
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(count == 0 ? start - 1 : start),\(count)"
    }
}
