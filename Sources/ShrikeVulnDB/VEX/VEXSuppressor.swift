import Foundation
import ShrikeCore

/// A match a VEX statement suppressed, with what the statement said.
public struct SuppressedMatch: Sendable, Equatable {
    public var match: Match
    public var status: VEXStatus
    public var justification: String?
    public var impactStatement: String?

    public init(match: Match, status: VEXStatus, justification: String? = nil, impactStatement: String? = nil) {
        self.match = match
        self.status = status
        self.justification = justification
        self.impactStatement = impactStatement
    }
}

/// Applies OpenVEX statements to matches: `not_affected` and `fixed` suppress, `affected` and
/// `under_investigation` keep. For one finding the latest statement that applies wins (by timestamp, then order).
///
/// A statement applies when one of its vulnerability ids equals the finding's id or an alias, and one of its
/// products is the package (purl compared without qualifiers; a purl without version covers every version) or the
/// scanned image (its manifest digest or image id appears in the product's identifiers) with either no
/// subcomponents or a subcomponent that is the package.
public struct VEXSuppressor: Sendable {
    public var statements: [VEXStatement]
    /// `sha256:<hex>` strings that identify the scanned image.
    public var imageDigests: [String]

    /// `imageDigests`: the scanned image's manifest digest and image id (`sbom.source.digest`, `.imageID`).
    public init(documents: [VEXDocument], imageDigests: [Digest] = []) {
        let all = documents.flatMap(\.statements).enumerated().map { ($0.offset, $0.element) }
        // Stable by timestamp; undated statements count as oldest.
        statements = all.sorted {
            let (a, b) = ($0.1.timestamp ?? .distantPast, $1.1.timestamp ?? .distantPast)
            return a != b ? a < b : $0.0 < $1.0
        }.map(\.1)
        self.imageDigests = imageDigests.map { $0.description.lowercased() }
    }

    /// Splits `matches` into those still reported and those suppressed, both in the given order.
    public func apply(to matches: [Match]) -> (kept: [Match], suppressed: [SuppressedMatch]) {
        var kept: [Match] = []
        var suppressed: [SuppressedMatch] = []
        for match in matches {
            if let statement = decidingStatement(for: match), statement.status.suppresses {
                suppressed.append(SuppressedMatch(match: match, status: statement.status,
                                                  justification: statement.justification,
                                                  impactStatement: statement.impactStatement))
            } else {
                kept.append(match)
            }
        }
        return (kept, suppressed)
    }

    /// The latest statement that applies to `match`, if any.
    public func decidingStatement(for match: Match) -> VEXStatement? {
        let ids = Set([match.vulnerability.id] + match.vulnerability.aliases)
        let package = PurlIdentity(match.package.purl)
        return statements.last { statement in
            statement.vulnerabilityIDs.contains { ids.contains($0) }
                && statement.products.contains { applies($0, to: package) }
        }
    }

    private func applies(_ product: VEXProduct, to package: PurlIdentity) -> Bool {
        if names(product.identifiers, package) { return true }
        guard namesImage(product.identifiers) else { return false }
        return product.subcomponents.isEmpty || product.subcomponents.contains { names($0, package) }
    }

    private func names(_ identifiers: [String], _ package: PurlIdentity) -> Bool {
        identifiers.contains { PurlIdentity(parsing: $0)?.covers(package) == true }
    }

    private func namesImage(_ identifiers: [String]) -> Bool {
        guard !imageDigests.isEmpty else { return false }
        return identifiers.contains { identifier in
            let decoded = (identifier.removingPercentEncoding ?? identifier).lowercased()
            return imageDigests.contains { decoded.contains($0) }
        }
    }
}
