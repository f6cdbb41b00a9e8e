/// The header fields of a Python core metadata file (`METADATA`, `PKG-INFO`): RFC 822 style, ending at the first
/// blank line (the long description may follow as the body).
struct PythonMetadata: Sendable, Equatable {
    /// Field values by lower-cased name, in file order; continuation lines are joined with `\n`.
    var fields: [String: [String]]

    init(parsing bytes: [UInt8]) {
        var fields: [String: [String]] = [:]
        var lastKey: String?
        for line in LanguageFiles.lines(bytes) {
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t" {
                // A continuation of the previous field (multi-line License texts, descriptions).
                if let lastKey, var values = fields[lastKey], !values.isEmpty {
                    values[values.count - 1] += "\n" + line.trimmingSpaces()
                    fields[lastKey] = values
                }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { lastKey = nil; continue }
            let key = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces()
            fields[key, default: []].append(value)
            lastKey = key
        }
        self.fields = fields
    }

    func first(_ key: String) -> String? {
        guard let value = fields[key]?.first, !value.isEmpty else { return nil }
        return value
    }

    var name: String? { first("name") }
    var version: String? { first("version") }

    /// Declared licenses: `License-Expression` (PEP 639) when present; else a short one-line `License` field;
    /// else the license classifiers. `License` fields that hold a whole license text, or `UNKNOWN`, name nothing.
    var licenses: [String] {
        if let expression = first("license-expression") { return [expression] }
        if let license = first("license"), !license.contains("\n"), license.count <= 80,
           !["unknown", "none", "n/a"].contains(license.lowercased()) {
            return [license]
        }
        var found: [String] = []
        for classifier in fields["classifier"] ?? [] where classifier.hasPrefix("License ::") {
            let name = classifier.split(separator: ":").last.map { $0.trimmingSpaces() } ?? ""
            guard !name.isEmpty, name != "OSI Approved" else { continue }
            let license = Self.classifierLicenses[name] ?? name
            if !found.contains(license) { found.append(license) }
        }
        return found
    }

    /// Classifier names that denote exactly one SPDX license (ambiguous ones, like `BSD License`, stay as written).
    static let classifierLicenses: [String: String] = [
        "MIT License": "MIT",
        "ISC License (ISCL)": "ISC",
        "Apache Software License": "Apache-2.0",
        "Python Software Foundation License": "PSF-2.0",
        "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
        "GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
        "GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
        "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
        "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.0-only",
        "The Unlicense (Unlicense)": "Unlicense",
        "Zope Public License": "ZPL-2.1",
        "Boost Software License 1.0 (BSL-1.0)": "BSL-1.0",
    ]
}
