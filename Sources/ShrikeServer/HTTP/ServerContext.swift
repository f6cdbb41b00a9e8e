import Hummingbird

/// Per-request state: the token the request authenticated with (nil only for `/healthz`).
package struct ServerContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package var token: StoredToken?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
