import Hummingbird

/// Per-request state: the token an API request authenticated with (nil only for `/healthz`), or the console
/// session of a page's cookie.
package struct ServerContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package var token: StoredToken?
    package var session: StoredSession?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
