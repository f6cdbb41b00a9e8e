import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import ShrikeCore

/// The console's pages: the embedded Mustache templates (`ConsoleAssets`), rendered with `{{ }}`, which
/// HTML-escapes; no template uses the unescaped `{{{ }}}`.
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for (name, text) in ConsoleAssets.templates {
            do {
                try library.register(text, named: name)
            } catch {
                throw ShrikeError(.malformed, "the console template does not parse: \(error)", input: name)
            }
        }
        self.library = library
    }

    /// A page: `template` with `context`, and what every page's frame shows of the session.
    func page(_ template: String, _ context: [String: Any], session: StoredSession?,
              status: HTTPResponse.Status = .ok) -> Response {
        var context = context
        if context["title"] == nil { context["title"] = template.prefix(1).uppercased() + template.dropFirst() }
        if let session {
            context["session"] = ["name": ConsoleText.display(session.name), "role": session.role.rawValue,
                                  "csrf": session.csrf, "admin": session.role == .admin]
        }
        let html = library.render(Self.prune(context), withTemplate: template) ?? "<!DOCTYPE html><title>Shrike</title>missing page"
        return Self.html(html, status: status)
    }

    /// `value` without empty strings in its objects: Mustache counts "" as true in a section, and the templates
    /// write `{{#target}} → {{target}}{{/target}}` to show a field only when it has a value.
    static func prune(_ value: Any) -> Any {
        switch value {
        case let object as [String: Any]:
            var out: [String: Any] = [:]
            for (key, item) in object {
                if let text = item as? String, text.isEmpty { continue }
                out[key] = prune(item)
            }
            return out
        case let array as [Any]: return array.map(prune)
        default: return value
        }
    }

    /// An error as a page (the status, and what to do).
    func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        page("error", ["status": status.code, "reason": status.reasonPhrase, "message": ConsoleText.display(message)],
             session: nil, status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// 303 to `location` (after a form, or to the sign-in page).
    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if let cookie { response.headers[.setCookie] = cookie }
        return response
    }
}
