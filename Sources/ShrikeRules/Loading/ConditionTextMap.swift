import Yams

/// Where each byte of a condition's text came from in its rule file, so an error at a token inside a multi-line
/// condition names that token's own line and column rather than the condition's first line.
///
/// Built by aligning the scalar's value with the YAML source: everything that is not whitespace appears in both, in
/// the same order (block scalars, folded scalars and multi-line plain scalars only add or drop line breaks and
/// indentation; quoted scalars also unescape, which the alignment follows for the common escapes). When the two do
/// not align, the map says only the scalar's first line, as before.
public struct ConditionTextMap: Sendable {
    /// A stretch of the condition copied byte for byte from one place of a file.
    struct Run: Sendable {
        var offset: Int
        var file: String
        var line: Int
        /// 1-based, counting bytes; 0 when only the line is known.
        var column: Int
    }

    /// Sorted by `offset`; the first starts at 0.
    var runs: [Run]

    /// A map that knows only where the text starts.
    init(file: String, line: Int, column: Int = 0) {
        runs = [Run(offset: 0, file: file, line: line, column: column)]
    }

    init(runs: [Run]) {
        self.runs = runs
    }

    /// The file, line and column of the byte at UTF-8 `offset` of the condition text.
    func point(at offset: Int) -> (file: String, line: Int, column: Int)? {
        guard var low = runs.indices.first, offset >= 0 else { return nil }
        var high = runs.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if runs[middle].offset <= offset { low = middle } else { high = middle - 1 }
        }
        let run = runs[low]
        return (run.file, run.line, run.column > 0 ? run.column + (offset - run.offset) : 0)
    }

    /// This map followed by `next`, whose text starts at `offset` of the joined condition (`append`).
    func appending(_ next: ConditionTextMap, at offset: Int) -> ConditionTextMap {
        ConditionTextMap(runs: runs + next.runs.map { run in
            var shifted = run
            shifted.offset += offset
            return shifted
        })
    }

    /// Aligns `value` (a scalar's text) with `source` from where the scalar starts (Yams' mark: 1-based line, and
    /// column in Unicode scalars); only the first line of `fallback` when they do not align.
    static func build(value: String, style: Node.Scalar.Style, line: Int, column: Int, source: YAMLSourceText,
                      file: String, fallback: SourceLocation) -> ConditionTextMap {
        let whole = ConditionTextMap(file: file, line: fallback.line)
        guard let markOffset = source.offset(line: line, column: column) else { return whole }
        let src = source.bytes
        var s = markOffset
        switch style {
        case .literal, .folded:
            // The text starts on the line after the `|`/`>` indicator (and its chomping, indent and comment).
            guard let newline = src[s...].firstIndex(of: 0x0A) else { return whole }
            s = newline + 1
        case .singleQuoted, .doubleQuoted:
            s += 1
        default:
            break
        }
        let val = Array(value.utf8)
        var runs: [Run] = []
        var v = 0
        var lastMatch: (v: Int, s: Int)?
        func match() {
            if lastMatch.map({ $0.v + 1 != v || $0.s + 1 != s }) ?? true {
                let (line, column) = source.lineAndColumn(of: s)
                runs.append(Run(offset: v, file: file, line: line, column: column))
            }
            // A run never crosses a line break: the next byte is on another line.
            lastMatch = src[s] == 0x0A ? nil : (v, s)
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while v < val.count {
            // `''` is one quote in a single-quoted scalar: checked first, or its first half would match alone.
            if style == .singleQuoted, s + 1 < src.count, src[s] == 0x27, src[s + 1] == 0x27, val[v] == 0x27 {
                match()
                v += 1
                s += 2
                continue
            }
            if s < src.count, src[s] == val[v], !(style == .doubleQuoted && src[s] == UInt8(ascii: "\\")) {
                match()
                v += 1
                s += 1
                continue
            }
            if style == .doubleQuoted, s + 1 < src.count, src[s] == UInt8(ascii: "\\") {
                let escaped: UInt8? = switch src[s + 1] {
                case UInt8(ascii: "n"): 0x0A
                case UInt8(ascii: "t"): 0x09
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: " "): src[s + 1]
                default: nil
                }
                if src[s + 1] == 0x0A {
                    s += 2
                    continue
                }
                guard let escaped, escaped == val[v] else { return whole }
                match()
                v += 1
                s += 2
                continue
            }
            if s < src.count, isSpace(src[s]) {
                s += 1
                continue
            }
            // A space or line break the scalar's folding made: it has no byte of its own in the file.
            if isSpace(val[v]) {
                v += 1
                continue
            }
            return whole
        }
        if runs.isEmpty || runs[0].offset != 0 {
            runs.insert(Run(offset: 0, file: file, line: runs.first?.line ?? fallback.line, column: 0), at: 0)
        }
        return ConditionTextMap(runs: runs)
    }
}

/// A rule file's bytes with the offsets where its lines start, for mapping Yams marks to byte offsets and back.
struct YAMLSourceText: Sendable {
    let bytes: [UInt8]
    let lineStarts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A { starts.append(index + 1) }
        lineStarts = starts
    }

    /// The byte offset of a 1-based line and a 1-based column counted in Unicode scalars (as libyaml counts).
    func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
        var offset = lineStarts[line - 1]
        var remaining = column - 1
        while remaining > 0, offset < bytes.count, bytes[offset] != 0x0A {
            offset += 1
            while offset < bytes.count, bytes[offset] & 0xC0 == 0x80 { offset += 1 }
            remaining -= 1
        }
        return offset
    }

    /// The 1-based line and byte column of a byte offset.
    func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }
}
