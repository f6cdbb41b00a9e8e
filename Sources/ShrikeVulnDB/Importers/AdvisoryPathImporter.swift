import Foundation
import ShrikeCore
import ZIPFoundation

/// Imports whatever advisory data lies at a path, recognising each file by its content.
///
/// - a directory: every `.json`, `.yaml`, `.yml`, `.xml`, `.xml.gz` and `.xml.bz2` file below it (recursively, hidden
///   files skipped);
/// - a `.zip` (OSV's `all.zip` or per-ecosystem exports): every `.json`/`.yaml` member;
/// - a `.tar.gz`, `.tgz` or `.tar` of any of these (unpacked to a scratch directory first: `AdvisoryArchive`);
/// - a single `.json`/`.yaml`/`.yml` file.
///
/// A file is Red Hat's CSAF (VEX or RHSA) when its `document.category` is `csaf_vex` or `csaf_security_advisory`
/// (`CSAFVEXParser`, source `redhat-csaf`), a Wolfi advisories file when it has `schema-version`, `package.name` and `advisories`
/// (`WolfiAdvisoriesParser`), a Wolfi/Chainguard secdb when it has `packages` and a repository but no `distroversion`
/// (`WolfiSecDBParser`), an Alpine secdb file when it has `distroversion` and `packages`, a Debian tracker export when
/// its packages hold entries with `releases`, else an OSV record. `.xml`, `.xml.gz` and `.xml.bz2` files (decompressed
/// in memory, at most `CompressedXMLFile.decompressedLimit`) are told apart by their root element: `updates` is yum
/// updateinfo (Amazon Linux ALAS, `UpdateInfoParser`), `oval_definitions` OVAL (`OVALParser`). OSV records from one input
/// form the source `osv:<absolute input path>`; files that cannot be read are failures of that source (or of
/// `file:<path>` for a single file), never fatal. Throws only when the path itself cannot be read.
///
/// A downloaded feed is imported with `origin` (its URL) and `strict`: sources are then named and located by the
/// URL instead of the temporary file, and a file that cannot be read as a whole (a broken zip member, a document that
/// is not JSON) aborts the import instead of being counted, because it means the download is corrupt.
public struct AdvisoryPathImporter: AdvisoryImporter {
    public let input: String
    /// Where the data came from, when not from `input` itself (a feed URL).
    public let origin: String?
    /// Whether file-level failures throw instead of being recorded as failed records.
    public let strict: Bool

    public init(path: String) {
        self.init(path: path, origin: nil, strict: false)
    }

    /// An importer for data at `path` that was fetched from `origin`; see the type's notes on `strict`.
    public init(path: String, origin: String?, strict: Bool) {
        input = path
        self.origin = origin
        self.strict = strict
    }

    /// Records a file-level failure, or throws it in strict mode.
    private func fail(_ failure: ImportFailure, in source: AdvisorySource, sink: any AdvisorySink) throws {
        if strict {
            throw ShrikeError(.malformed, "\(failure.file): \(failure.reason); the download is corrupt or not an advisory feed",
                              input: origin ?? input)
        }
        try sink.fail(failure, in: source)
    }

    public func importAdvisories(into sink: any AdvisorySink) throws {
        let absolute = URL(fileURLWithPath: input).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory) else {
            throw ShrikeError(.notFound, "no such file or directory; give advisory data: a directory, .zip, .tar.gz, .json/.yaml or .xml file (docs/vulnerability-data.md lists the formats)", input: input)
        }
        if !isDirectory.boolValue, AdvisoryArchive.isArchive(absolute) {
            // Unpacked to a scratch directory and imported as that directory, with sources named by the archive.
            let archive = try AdvisoryArchive.unpack(absolute)
            defer { archive.remove() }
            try AdvisoryPathImporter(path: archive.importRoot, origin: origin ?? absolute, strict: strict)
                .importAdvisories(into: sink)
            return
        }
        let osvSource = AdvisorySource(name: "osv:\(origin ?? absolute)", kind: "osv", location: origin ?? absolute)
        if isDirectory.boolValue {
            // The Ubuntu CVE Tracker's tree holds extension-less per-CVE files, not OSV documents.
            if UbuntuTrackerParser.isTracker(directory: absolute) {
                try UbuntuTrackerParser.importTree(absolute, location: origin ?? absolute, strict: strict, into: sink)
                return
            }
            for file in try filesBelow(absolute) {
                let relative = String(file.dropFirst(absolute.count + 1))
                let data: Data
                do {
                    try Self.checkSize(Self.fileSize(file), name: file, input: origin.map { "\($0)#\(relative)" } ?? file)
                    data = try Data(contentsOf: URL(fileURLWithPath: file))
                } catch let error as ShrikeError {
                    // Past the per-file bound: refused unread, a failure of that file (an abort when strict).
                    if strict { throw error }
                    try sink.fail(ImportFailure(file: relative, reason: error.message), in: osvSource)
                    continue
                } catch {
                    try fail(ImportFailure(file: relative, reason: "cannot read: \(error.localizedDescription)"), in: osvSource, sink: sink)
                    continue
                }
                try importDocument(data, name: relative, location: origin.map { "\($0)#\(relative)" } ?? file,
                                   osvSource: osvSource, into: sink)
            }
        } else if absolute.lowercased().hasSuffix(".zip") {
            try importZip(absolute, osvSource: osvSource, into: sink)
        } else {
            guard Self.isAdvisoryFile(absolute) else {
                throw ShrikeError(.unsupportedFormat, "not a directory, .zip, .json, .yaml or .yml file", input: input)
            }
            try Self.checkSize(Self.fileSize(absolute), name: absolute, input: origin ?? input)
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: absolute))
            } catch {
                throw ShrikeError(.io, "cannot read the file: \(error.localizedDescription)", input: input)
            }
            let fileSource = AdvisorySource(name: "file:\(origin ?? absolute)", kind: "unknown", location: origin ?? absolute)
            try importDocument(data, name: (absolute as NSString).lastPathComponent, location: origin ?? absolute,
                               osvSource: osvSource, unreadableSource: fileSource, into: sink)
        }
    }

    static func isAdvisoryFile(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".json") || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || isXMLFile(lower)
    }

    /// `.xml`, `.xml.gz` (yum's `updateinfo.xml.gz`) and `.xml.bz2` (Oracle's and Red Hat's OVAL): told apart by
    /// their root element, not their name.
    static func isXMLFile(_ path: String) -> Bool {
        CompressedXMLFile.isXMLName(path)
    }

    /// The largest advisory file read, by kind; each file is read into memory whole before it is parsed. 256 MiB for
    /// a JSON or YAML document, whose parse holds it two to three times over (the largest real one, the Debian tracker
    /// export, is about 70 MB); 1 GiB for XML (plain, `.gz` or `.bz2` on disk), which the parsers stream (Red Hat's
    /// RHEL 9 OVAL, the largest, is about 600 MB). A larger file is refused before it is read, with `limitExceeded`:
    /// thrown for a single-file input or in strict mode, else a failure of that file (a directory or zip member).
    static let maximumDocumentBytes = 256 << 20
    static let maximumXMLBytes = 1 << 30

    /// Throws `limitExceeded`, naming `input`, when the file `name` of `size` bytes is past its kind's bound.
    static func checkSize(_ size: Int64, name: String, input: String) throws {
        let xml = isXMLFile(name)
        let limit = xml ? maximumXMLBytes : maximumDocumentBytes
        guard size > Int64(limit) else { return }
        throw ShrikeError(.limitExceeded, "is \(size >> 20) MiB, more than the \(limit >> 20) MiB Shrike reads as one \(xml ? "XML" : "JSON or YAML") advisory file (the largest real feeds are about 70 MB of JSON and 600 MB of XML); check that it is the file you meant and not a corrupt or concatenated download, and split a genuine one into smaller files and import their directory", input: input)
    }

    /// The size the file system reports for `path`; 0 when it cannot say (reading it then fails on its own).
    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    private func filesBelow(_ root: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: root),
                                                          includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw ShrikeError(.io, "cannot list the directory", input: input)
        }
        var files: [String] = []
        for case let url as URL in walker where Self.isAdvisoryFile(url.path) {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files.append(url.standardizedFileURL.path)
            }
        }
        // Sorted so that imports, failure lists and ties are the same on every run.
        return files.sorted()
    }

    private func importZip(_ path: String, osvSource: AdvisorySource, into sink: any AdvisorySink) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ShrikeError(.malformed, "not a readable zip archive (\(error))", input: origin ?? input)
        }
        for entry in archive where entry.type == .file && Self.isAdvisoryFile(entry.path) {
            var data = Data()
            let member = "\(origin ?? path)#\(entry.path)"
            do {
                try Self.checkSize(Int64(clamping: entry.uncompressedSize), name: entry.path, input: member)
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    data.append(chunk)
                    // The declared size can lie: the bound holds for what is inflated too.
                    try Self.checkSize(Int64(data.count), name: entry.path, input: member)
                }
            } catch let error as ShrikeError {
                if strict { throw error }
                try sink.fail(ImportFailure(file: entry.path, reason: error.message), in: osvSource)
                continue
            } catch {
                try fail(ImportFailure(file: entry.path, reason: "cannot extract from the zip: \(error)"), in: osvSource, sink: sink)
                continue
            }
            try importDocument(data, name: entry.path, location: "\(origin ?? path)#\(entry.path)", osvSource: osvSource, into: sink)
        }
    }

    /// `unreadableSource` is set for a single-file input: a document that cannot be read there means the file itself is
    /// bad (in strict mode: a corrupt download), while a bad member of a zip or directory is one failed record.
    private func importDocument(_ data: Data, name: String, location: String, osvSource: AdvisorySource,
                                unreadableSource: AdvisorySource? = nil, into sink: any AdvisorySink) throws {
        let fail: (ImportFailure, AdvisorySource) throws -> Void = { failure, source in
            if unreadableSource != nil {
                try self.fail(failure, in: source, sink: sink)
            } else {
                try sink.fail(failure, in: source)
            }
        }
        if Self.isXMLFile(name) {
            let xml: Data
            let format = CompressedXMLFile.format(ofName: name)
            do {
                xml = try format.map { try CompressedXMLFile.decompress(data, format: $0, what: name) } ?? data
            } catch let error as ShrikeError {
                try fail(ImportFailure(file: name, reason: "cannot \(format == .bzip2 ? "bunzip2" : "gunzip"): \(error.message)"),
                         unreadableSource ?? osvSource)
                return
            }
            let root = XMLRootElement.name(of: xml)
            if root == "oval_definitions" {
                try importOVAL(xml, name: name, location: location, singleFile: unreadableSource != nil,
                               fallbackSource: osvSource, into: sink)
                return
            }
            if root == "updates" {
                try importUpdateInfo(xml, name: name, location: location, unreadableSource: unreadableSource ?? osvSource,
                                     fail: fail, into: sink)
                return
            }
            try fail(ImportFailure(file: name, reason: "an XML document with root element <\(root ?? "none")> is not advisory data (expected OVAL <oval_definitions> or yum updateinfo <updates>)"),
                     unreadableSource ?? osvSource)
            return
        }
        let document: AdvisoryDocument
        do {
            let lower = name.lowercased()
            document = try AdvisoryDocument.parse(data, isYAML: lower.hasSuffix(".yaml") || lower.hasSuffix(".yml"))
        } catch let error as ShrikeError {
            try fail(ImportFailure(file: name, reason: error.message), unreadableSource ?? osvSource)
            return
        }
        if CSAFVEXParser.isCSAF(document) {
            try importCSAF(document, name: name, location: osvSource.location, fail: fail, into: sink)
            return
        }
        if WolfiAdvisoriesParser.isAdvisories(document) {
            try importWolfiAdvisories(document, name: name, location: osvSource.location, fail: fail, into: sink)
            return
        }
        if WolfiSecDBParser.isRollingSecDB(document) {
            do {
                let result = try WolfiSecDBParser.parse(document, file: name, location: location)
                for record in result.records { try sink.add(record, to: result.source) }
                for failure in result.failures { try sink.fail(failure, in: result.source) }
            } catch let error as ShrikeError {
                try fail(ImportFailure(file: name, reason: error.message), unreadableSource ?? osvSource)
            }
            return
        }
        if AlpineSecDBParser.isSecDB(document) {
            do {
                let result = try AlpineSecDBParser.parse(document, file: name, location: location)
                for record in result.records { try sink.add(record, to: result.source) }
                for failure in result.failures { try sink.fail(failure, in: result.source) }
            } catch let error as ShrikeError {
                try fail(ImportFailure(file: name, reason: error.message), unreadableSource ?? osvSource)
            }
            return
        }
        if DebianTrackerParser.isTracker(document) {
            let source = AdvisorySource(name: "debian-tracker", kind: "debian-tracker", location: location)
            do {
                let result = try DebianTrackerParser.parse(document, file: name)
                for record in result.records { try sink.add(record, to: source) }
                for failure in result.failures { try sink.fail(failure, in: source) }
            } catch let error as ShrikeError {
                try fail(ImportFailure(file: name, reason: error.message), source)
            }
            return
        }
        do {
            switch try OSVParser.parse(document) {
            case .record(let record, let skipped):
                try sink.add(record, to: osvSource)
                for reason in skipped { try sink.skip(ImportFailure(file: name, reason: reason), in: osvSource) }
            case .records(let records, let skipped):
                for record in records { try sink.add(record, to: osvSource) }
                for reason in skipped { try sink.skip(ImportFailure(file: name, reason: reason), in: osvSource) }
            case .withdrawn(_, let reason):
                try sink.skip(ImportFailure(file: name, reason: reason), in: osvSource)
            }
        } catch let error as ShrikeError {
            try sink.fail(ImportFailure(file: name, reason: error.message), in: osvSource)
        }
    }
}
