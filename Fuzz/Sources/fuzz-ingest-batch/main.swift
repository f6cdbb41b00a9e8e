import Foundation
import ShrikeServer

// `POST /api/v1/ingest` bodies through the batch decoder and every kind's record checks: any bytes must give a
// batch or a batch-level problem, never a crash, a hang or unbounded memory.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    if let batch = try? IngestBatch(json: bytes) {
        let counts = batch.counts
        precondition(counts.valid + counts.rejected <= IngestBatch.maxRecords)
    }
    return 0
}
