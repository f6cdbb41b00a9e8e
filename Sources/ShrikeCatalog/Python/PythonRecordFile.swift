import ShrikeImage

/// The files a Python distribution installed: `RECORD` (CSV `path,hash,size`, paths relative to the site-packages
/// directory) or an egg's `installed-files.txt` (one path a line, relative to the `.egg-info` directory).
enum PythonRecordFile {
    /// Absolute, normalised paths of the files `RECORD` lists; `base` is the directory paths are relative to.
    static func paths(fromRecord bytes: [UInt8], base: String) -> [String] {
        LanguageFiles.lines(bytes).compactMap { line in
            guard let field = firstCSVField(line), !field.isEmpty else { return nil }
            return absolute(field, base: base)
        }
    }

    static func paths(fromInstalledFiles bytes: [UInt8], base: String) -> [String] {
        LanguageFiles.lines(bytes).compactMap { line in
            let path = line.trimmingSpaces()
            return path.isEmpty ? nil : absolute(path, base: base)
        }
    }

    /// The first field of a CSV line, honouring the quoting Python's `csv` module writes for paths with commas.
    static func firstCSVField(_ line: Substring) -> String? {
        guard line.first == "\"" else { return line.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) }
        var out = ""
        var index = line.index(after: line.startIndex)
        while index < line.endIndex {
            let character = line[index]
            let next = line.index(after: index)
            if character == "\"" {
                if next < line.endIndex, line[next] == "\"" {
                    out.append("\"")
                    index = line.index(after: next)
                    continue
                }
                return out
            }
            out.append(character)
            index = next
        }
        return nil
    }

    /// `RECORD` paths may climb out of site-packages (`../../../bin/flask`); absolute ones are kept as written.
    static func absolute(_ path: String, base: String) -> String? {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return try? PathNormalizer.normalize(joined)
    }
}
