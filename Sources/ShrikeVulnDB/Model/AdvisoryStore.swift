import ShrikeCore

/// Read access to imported advisories; the SQLite store is the real one, tests may use an in-memory one.
public protocol AdvisoryStore: Sendable {
    /// Every record for `packageName` in `namespace` (exact match on both).
    func affected(namespace: String, packageName: String) throws -> [AffectedPackage]
    /// The vulnerability behind a record.
    func vulnerability(id: String) throws -> Vulnerability?
}
