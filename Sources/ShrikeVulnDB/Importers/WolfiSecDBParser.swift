import Foundation
import ShrikeCore

/// Reads Wolfi's and Chainguard's secdb JSON (`https://packages.wolfi.dev/os/security.json`,
/// `https://packages.cgr.dev/chainguard/security.json`): Alpine's secdb shape (`apkurl`, `archs`, `reponame`,
/// `urlprefix`, `packages[].pkg{name, secfixes{version: [ids]}}`) without a `distroversion`, since both distributions
/// are rolling.
///
/// The repository decides the namespace: a `urlprefix`/`apkurl` on `cgr.dev` (or `reponame: chainguard`) is
/// `chainguard:rolling` (source `chainguard-secdb`), one on `wolfi.dev` (or `reponame: os`) is `wolfi:rolling`
/// (source `wolfi-secdb`). Entries are read exactly as Alpine's are (`AlpineSecDBParser`: fixed version `0` means
/// never affected, hand-written ids read leniently); a file from any other repository throws, because nothing says
/// which distribution it describes.
enum WolfiSecDBParser {
    /// A secdb document without `distroversion`: Alpine's own files always carry one.
    static func isRollingSecDB(_ document: AdvisoryDocument) -> Bool {
        document["distroversion"] == nil && document["packages"] != nil
            && (document["urlprefix"] != nil || document["apkurl"] != nil || document["reponame"] != nil)
    }

    /// The namespace and source name for the file's repository, or nil when it is neither Wolfi's nor Chainguard's.
    static func distribution(of document: AdvisoryDocument) -> (namespace: String, source: String)? {
        let where_ = [document["urlprefix"]?.string, document["apkurl"]?.string].compactMap { $0?.lowercased() }
        let repository = document["reponame"]?.string?.lowercased()
        if where_.contains(where: { $0.contains("cgr.dev") }) || (where_.isEmpty && repository == "chainguard") {
            return ("chainguard:rolling", "chainguard-secdb")
        }
        if where_.contains(where: { $0.contains("wolfi.dev") }) || (where_.isEmpty && repository == "os") {
            return ("wolfi:rolling", "wolfi-secdb")
        }
        return nil
    }

    static func parse(_ document: AdvisoryDocument, file: String, location: String) throws -> AlpineSecDBParser.Result {
        guard let (namespace, sourceName) = distribution(of: document), case .object(var fields) = document else {
            throw AdvisoryDocument.shapeError(
                "secdb file without 'distroversion' whose urlprefix is neither packages.wolfi.dev nor packages.cgr.dev: "
                    + "cannot tell which distribution it describes")
        }
        // Alpine's parser reads the entries; a placeholder release keeps it from refusing the file, and everything
        // that names the release is rewritten below.
        fields["distroversion"] = .scalar("rolling")
        var result = try AlpineSecDBParser.parse(.object(fields), file: file, location: location)
        result.source = AdvisorySource(name: sourceName, kind: sourceName, location: location)
        result.records = result.records.map { record in
            var record = record
            record.vulnerability.source = sourceName
            // Alpine's tracker pages say nothing about Wolfi's packages.
            record.vulnerability.urls = []
            record.affected = record.affected.map { affected in
                var affected = affected
                affected.namespace = namespace
                return affected
            }
            return record
        }
        return result
    }
}
