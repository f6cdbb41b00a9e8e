import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShrikeCore

/// A response whose body is read synchronously, in order, while it downloads: the bridge from AsyncHTTPClient's
/// event loop to Shrike's pull-based `ByteStream` pipeline.
///
/// At most `highWater` bytes are buffered: past that the delegate withholds its future, so NIO stops reading the
/// socket until the reader catches up (an image is never held in memory or on disk). Reading blocks the calling
/// thread, so never read from an event loop. Dropping the stream before its end cancels the request.
final class HTTPResponseStream: HTTPClientResponseDelegate, ByteStream, @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `condition`; NIO calls the delegate methods on its event loop
    // while the reader calls `read` on its own thread.
    typealias Response = Void

    private let condition = NSCondition()
    private var head: HTTPResponseHead?
    private var chunks: [ByteBuffer] = []
    private var buffered = 0
    private var finished = false
    private var failure: (any Error)?
    private var pending: EventLoopPromise<Void>?
    private var task: HTTPClient.Task<Void>?
    private let highWater: Int
    let url: String

    init(url: String, highWater: Int = 4 << 20) {
        self.url = url
        self.highWater = highWater
    }

    func attach(_ task: HTTPClient.Task<Void>) {
        condition.withLock { self.task = task }
    }

    deinit {
        if !finished, failure == nil { task?.cancel() }
        pending?.succeed(())
    }

    // MARK: delegate (event loop side)

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        condition.withLock {
            self.head = head
            condition.broadcast()
        }
        return task.eventLoop.makeSucceededFuture(())
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        condition.withLock {
            chunks.append(buffer)
            buffered += buffer.readableBytes
            condition.broadcast()
            guard buffered > highWater else { return task.eventLoop.makeSucceededFuture(()) }
            let promise = task.eventLoop.makePromise(of: Void.self)
            pending = promise
            return promise.futureResult
        }
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        condition.withLock {
            failure = error
            condition.broadcast()
        }
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        condition.withLock {
            finished = true
            condition.broadcast()
        }
    }

    // MARK: reader side

    /// Waits for the response head; throws `io` naming the URL when the connection fails first.
    func waitForHead() throws -> HTTPResponseHead {
        try condition.withLock {
            while head == nil && failure == nil && !finished { condition.wait() }
            if let head { return head }
            throw ShrikeError(.io, "cannot connect: \(Self.describe(failure))", input: url)
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        var release: EventLoopPromise<Void>?
        let n: Int = try condition.withLock {
            while chunks.isEmpty && failure == nil && !finished { condition.wait() }
            if chunks.isEmpty {
                if let failure { throw ShrikeError(.io, "the download broke off: \(Self.describe(failure))", input: url) }
                return 0
            }
            var copied = 0
            while copied < buffer.count, !chunks.isEmpty {
                let take = min(buffer.count - copied, chunks[0].readableBytes)
                chunks[0].withUnsafeReadableBytes { source in
                    UnsafeMutableRawBufferPointer(rebasing: buffer[copied..<(copied + take)])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<take]))
                }
                chunks[0].moveReaderIndex(forwardBy: take)
                if chunks[0].readableBytes == 0 { chunks.removeFirst() }
                copied += take
            }
            buffered -= copied
            if buffered <= highWater / 2, let promise = pending {
                pending = nil
                release = promise
            }
            return copied
        }
        release?.succeed(())
        return n
    }

    /// Reads the rest of the body, failing past `limit` bytes.
    func readBody(limit: Int) throws -> [UInt8] {
        try readAll(limit: limit, what: url)
    }

    static func describe(_ error: (any Error)?) -> String {
        guard let error else { return "no response" }
        if let shrike = error as? ShrikeError { return shrike.message }
        return String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
