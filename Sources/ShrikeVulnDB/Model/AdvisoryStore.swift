import ShrikeCore

/// Read access to imported advisories; the SQLite store is the real one, tests may use an in-memory one.
public protocol AdvisoryStore: Sendable {
    /// Every record for `packageName` in `namespace` (exact match on both).
    func affected(namespace: String, packageName: String) throws -> [AffectedPackage]
    /// The vulnerability behind a record.
    func vulnerability(id: String) throws -> Vulnerability?
    /// Whether any record at all is filed under `namespace`: a scan says which distribution releases it could not
    /// check instead of reporting "no vulnerabilities" for them.
    func hasRecords(namespace: String) throws -> Bool
}
