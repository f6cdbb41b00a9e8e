import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP server in the test process that answers `POST /api/v1/ingest` per the wire format, or as a test
/// scripts it (a 503, a 429 with Retry-After, a 400 for a batch holding a bad record, a 401).
///
/// A stand-in until the lead's `shrike server` is merged: the end-to-end tests against the real server come with
/// that merge. The shipper tests take only a base URL, so they can point at either.
final class IngestResponder: Sendable {
    struct Request: Sendable {
        var authorization: String?
        var contentType: String?
        var body: [UInt8]
        var received = Date()

        /// The `records` of the body: seq, kind and body object.
        var records: [(seq: UInt64, kind: String, body: [String: Any])] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
                  let records = object["records"] as? [[String: Any]] else { return [] }
            return records.compactMap { record in
                guard let seq = (record["seq"] as? NSNumber)?.uint64Value, let kind = record["kind"] as? String,
                      let body = record["body"] as? [String: Any] else { return nil }
                return (seq, kind, body)
            }
        }

        var seqs: [UInt64] { records.map(\.seq) }

        var agent: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])?["agent"] as? [String: Any]
        }
    }

    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = []
        var body: [UInt8] = []

        static func json(_ status: Int, _ object: Any) -> Response {
            let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
            return Response(status: status, headers: [("Content-Type", "application/json")], body: Array(data))
        }
    }

    /// Decides the answer to the n-th request (0-based).
    typealias Script = @Sendable (_ index: Int, _ request: Request, _ store: Store) -> Response

    /// What a real server keeps: the seqs stored, so a repeat is a duplicate.
    final class Store: Sendable {
        private let seen = Mutex<Set<UInt64>>([])
        private let ordered = Mutex<[UInt64]>([])

        /// The wire format's answer for a well-formed batch: stored, or duplicate when the seq came before.
        func results(_ request: Request, rejecting bad: Set<UInt64> = []) -> Response {
            var results: [[String: Any]] = []
            for record in request.records {
                if bad.contains(record.seq) {
                    results.append(["seq": record.seq, "status": "rejected", "error": "bad record"])
                    continue
                }
                let fresh = seen.withLock { $0.insert(record.seq).inserted }
                if fresh { ordered.withLock { $0.append(record.seq) } }
                results.append(["seq": record.seq, "status": fresh ? "stored" : "duplicate"])
            }
            return .json(200, ["results": results])
        }

        var stored: [UInt64] { ordered.withLock { $0 } }
    }

    let store = Store()
    private let script: Mutex<Script>
    private let log = Mutex<[Request]>([])
    private let channel: any Channel
    let port: Int

    /// Listens on 127.0.0.1 (a free port, or `port`).
    init(port: Int = 0, script: @escaping Script = { _, request, store in store.results(request) }) throws {
        self.script = Mutex(script)
        let box = Box()
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(responder: box))
                }
            }
            .bind(host: "127.0.0.1", port: port).wait()
        self.port = channel.localAddress?.port ?? 0
        box.responder.withLock { $0 = self }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    var requests: [Request] { log.withLock { $0 } }

    func setScript(_ script: @escaping Script) {
        self.script.withLock { $0 = script }
    }

    func stop() {
        try? channel.close().wait()
    }

    fileprivate func answer(_ request: Request) -> Response {
        let index = log.withLock { log in
            log.append(request)
            return log.count - 1
        }
        let script = self.script.withLock { $0 }
        return script(index, request, store)
    }

    /// Lets the handler reach the responder created after the bootstrap.
    fileprivate final class Box: Sendable {
        let responder = Mutex<IngestResponder?>(nil)
    }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        // @unchecked: used on its channel's event loop only.
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private let responder: Box
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(responder: Box) {
            self.responder = responder
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                let request = Request(authorization: head?.headers.first(name: "Authorization"),
                                      contentType: head?.headers.first(name: "Content-Type"), body: body)
                let response = responder.responder.withLock { $0 }?.answer(request) ?? Response(status: 500)
                var headers = HTTPHeaders(response.headers)
                headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
                let status = HTTPResponseStatus(statusCode: response.status)
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status,
                                                                     headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
