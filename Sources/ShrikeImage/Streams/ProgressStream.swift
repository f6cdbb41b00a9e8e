import ShrikeCore

/// Reports how many bytes have passed to a `ProgressReporter`, at most once per 1 MiB read.
final class ProgressStream: ByteStream {
    private let base: any ByteStream
    private let reporter: any ProgressReporter
    private var count: Int64 = 0
    private var reported: Int64 = 0

    init(_ base: any ByteStream, reporter: any ProgressReporter) {
        self.base = base
        self.reporter = reporter
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        count += Int64(n)
        if count - reported >= 1 << 20 || n == 0 {
            reported = count
            reporter.advance(to: count)
        }
        return n
    }
}
