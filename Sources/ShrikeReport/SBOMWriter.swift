import ShrikeCatalog

/// Turns an `SBOM` into the bytes of one output format.
///
/// Writers are deterministic: the same SBOM gives the same bytes, except for the creation time and document id that
/// CycloneDX and SPDX require, which come from the clock and UUID source given to the writer.
public protocol SBOMWriter: Sendable {
    /// The document, UTF-8, ending with a newline. Throws `ShrikeError` when the SBOM cannot be encoded.
    func write(_ sbom: SBOM) throws -> [UInt8]
}
