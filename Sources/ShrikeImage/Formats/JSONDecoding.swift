import Foundation
import ShrikeCore

enum JSONDecoding {
    /// Decodes `T` from a metadata document, turning decoder errors into one-line messages that name the document.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as ShrikeError {
            throw error.naming(what)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ShrikeError(.malformed, "missing field '\(Self.path(context.codingPath + [key]))'", input: what)
        } catch let DecodingError.typeMismatch(_, context) {
            throw ShrikeError(.malformed, "field '\(Self.path(context.codingPath))' has the wrong type", input: what)
        } catch let DecodingError.valueNotFound(_, context) {
            throw ShrikeError(.malformed, "field '\(Self.path(context.codingPath))' is null", input: what)
        } catch {
            throw ShrikeError(.malformed, "is not valid JSON", input: what)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
