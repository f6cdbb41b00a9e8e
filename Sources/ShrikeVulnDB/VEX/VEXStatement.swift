import Foundation

/// One OpenVEX statement: what a supplier says about one vulnerability in some products.
public struct VEXStatement: Sendable, Equatable {
    /// The vulnerability's `name`, `@id` and `aliases` (any of them may match a finding's id or aliases).
    public var vulnerabilityIDs: [String]
    public var products: [VEXProduct]
    public var status: VEXStatus
    /// OpenVEX justification (`vulnerable_code_not_present`, …) for `not_affected`.
    public var justification: String?
    public var impactStatement: String?
    /// The statement's own timestamp, else the document's; later statements override earlier ones.
    public var timestamp: Date?

    public init(vulnerabilityIDs: [String], products: [VEXProduct], status: VEXStatus, justification: String? = nil,
                impactStatement: String? = nil, timestamp: Date? = nil) {
        self.vulnerabilityIDs = vulnerabilityIDs
        self.products = products
        self.status = status
        self.justification = justification
        self.impactStatement = impactStatement
        self.timestamp = timestamp
    }
}

/// A product a statement is about: an image or a package, named by `@id` and `identifiers`/`hashes`, optionally
/// narrowed to some of its `subcomponents` (packages inside an image).
public struct VEXProduct: Sendable, Equatable {
    /// `@id`, every `identifiers` value, and `sha256:<hex>` for a `hashes` `sha-256` value.
    public var identifiers: [String]
    /// Each subcomponent's identifiers; empty means the whole product.
    public var subcomponents: [[String]]

    public init(identifiers: [String], subcomponents: [[String]] = []) {
        self.identifiers = identifiers
        self.subcomponents = subcomponents
    }
}
