import Logging
import ShrikeCore

let imageLogger = Logger(label: "shrike.image")

/// Streams one layer blob through verification and decompression into a `FileTreeBuilder`.
///
/// Pipeline: blob bytes → sha256 of the blob (when its digest is known) → decompression (by magic bytes; the media
/// type only warns when it disagrees) → expanded-size cap → sha256 of the tar (the config's diff id) → tar reader.
/// Both digests are checked once every byte has been read, so a corrupt layer never goes unnoticed.
enum LayerApplier {
    static func apply(stream: any ByteStream, size: Int64, blobDigest: Digest?, diffID: Digest, mediaType: String?,
                      index: Int, into builder: FileTreeBuilder, options: ImageReadOptions, location: String) throws {
        let name = "layer \(index + 1) (\(blobDigest ?? diffID))"
        let what = "\(location): \(name)"
        let blob = DigestingStream(ProgressStream(stream, reporter: options.progress), expected: blobDigest, expectedSize: size, what: what, computeAlways: false)
        let peek = PeekableStream(blob)
        let compression = Compression.sniff(try peek.peek(4))
        if let mediaType, let declared = Compression.declared(by: mediaType), declared != compression {
            // Registries and tools get this wrong in the wild; the bytes decide, but say so.
            imageLogger.warning("\(what): media type \(mediaType) says \(declared.rawValue) but the content is \(compression.rawValue); reading it as \(compression.rawValue)")
        }
        if compression == .none, let blobDigest, blobDigest != diffID {
            throw ShrikeError(.digestMismatch,
                              "uncompressed layer blob \(blobDigest) must equal its diff id, but the config says \(diffID)",
                              input: what)
        }
        let decompressed = try compression.decompressing(peek, what: what)
        let limited = LimitedStream(decompressed, limit: options.maxLayerSize, what: what)
        // An uncompressed blob that is verified against its digest is already verified against the (equal) diff id.
        let diff = DigestingStream(limited, expected: compression == .none && blobDigest != nil ? nil : diffID,
                                   what: "\(location): \(name) uncompressed", computeAlways: false)
        do {
            let reader = TarReader(diff, what: what)
            try builder.apply(layer: index, from: reader, what: what)
            try reader.finish()
            try diff.finish()
            try blob.finish()
        } catch let error as ShrikeError {
            // A corrupt blob explains any later failure better than the symptom (bad gzip, bad tar, wrong diff id).
            if error.code != .limitExceeded, blobDigest != nil {
                do { try blob.finish() } catch let blobError as ShrikeError where blobError.code == .digestMismatch {
                    throw blobError
                } catch {}
            }
            throw error
        }
    }
}
