import Foundation
import ShrikeCore
import ShrikeRecorder
import ShrikeRules

/// A decoded `POST /api/v1/ingest` body: `{"agent": {…}, "records": [{"seq", "kind", "body"}, …]}`.
///
/// The envelope is strict (an unknown key, a missing `records`, a record without a positive `seq`, a known `kind` or
/// an object `body` is the whole batch's error, a 400 naming the field). Each record is checked alone: one that does not hold what its kind needs is rejected with
/// the field it lacks, and the rest of the batch is still stored. Bodies may carry more fields than Shrike reads,
/// as Falco's alert shape grows.
public struct IngestBatch: Sendable {
    package var hostname: String?
    package var version: String?
    package var kernel: String?
    /// In the batch's order: a checked record, or why the record was rejected.
    package var records: [Entry]

    /// How many records were valid and how many rejected.
    public var counts: (valid: Int, rejected: Int) {
        records.reduce(into: (0, 0)) { counts, entry in
            if case .valid = entry { counts.0 += 1 } else { counts.1 += 1 }
        }
    }

    package enum Entry: Sendable {
        case valid(IngestRecord)
        case rejected(seq: Int64?, error: String)
    }

    /// The most records one batch may hold.
    package static let maxRecords = 10_000

    /// The batch-level problem: `field` names where it is (`records`, `records[3].seq`).
    public struct Problem: Error, Sendable, Equatable {
        package var code: String
        package var field: String
        package var message: String
    }

    /// Decodes and checks a batch; throws the batch-level problem (public for the fuzz target).
    public init(json bytes: Data) throws(Problem) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: bytes, options: [])
        } catch {
            throw Problem(code: "malformed-json", field: "", message: "the body is not JSON: \(Self.reason(error))")
        }
        guard let top = object as? [String: Any] else {
            throw Problem(code: "malformed-batch", field: "", message: "the body must be a JSON object")
        }
        for key in top.keys where key != "agent" && key != "records" {
            throw Problem(code: "unknown-field", field: key, message: "unknown field (allowed: agent, records)")
        }
        if let agent = top["agent"] {
            guard let agent = agent as? [String: Any] else {
                throw Problem(code: "malformed-batch", field: "agent", message: "must be an object")
            }
            for (key, value) in agent {
                guard ["hostname", "version", "kernel"].contains(key) else {
                    throw Problem(code: "unknown-field", field: "agent.\(key)",
                                  message: "unknown field (allowed: hostname, version, kernel)")
                }
                guard let text = value as? String, text.utf8.count <= 255 else {
                    throw Problem(code: "malformed-batch", field: "agent.\(key)", message: "must be a string of at most 255 bytes")
                }
                switch key {
                case "hostname": hostname = text
                case "version": version = text
                default: kernel = text
                }
            }
        }
        guard let list = top["records"] as? [Any] else {
            throw Problem(code: "malformed-batch", field: "records", message: "must be an array of records")
        }
        guard list.count <= Self.maxRecords else {
            throw Problem(code: "too-many-records", field: "records",
                          message: "\(list.count) records; at most \(Self.maxRecords) per batch")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            let path = "records[\(index)]"
            guard let record = item as? [String: Any] else {
                throw Problem(code: "malformed-batch", field: path, message: "must be an object")
            }
            for key in record.keys where !["seq", "kind", "body"].contains(key) {
                throw Problem(code: "unknown-field", field: "\(path).\(key)",
                              message: "unknown field (allowed: seq, kind, body)")
            }
            guard let seq = Self.integer(record["seq"]), seq > 0 else {
                throw Problem(code: "malformed-batch", field: "\(path).seq", message: "must be a positive integer")
            }
            guard let kindName = record["kind"] as? String, RecordKind(rawValue: kindName) != nil else {
                throw Problem(code: "malformed-batch", field: "\(path).kind",
                              message: "must be one of " + RecordKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard record["body"] is [String: Any] else {
                throw Problem(code: "malformed-batch", field: "\(path).body", message: "must be an object")
            }
            do {
                entries.append(.valid(try Self.record(seq: seq, record, path: path)))
            } catch let problem as RecordProblem {
                entries.append(.rejected(seq: seq, error: problem.description))
            } catch {
                entries.append(.rejected(seq: seq, error: "\(path): \(error)"))
            }
        }
        records = entries
    }

    /// A record's field error, as `records[3].body.rule: missing`.
    struct RecordProblem: Error, CustomStringConvertible {
        var description: String
    }

    private static func record(seq: Int64, _ record: [String: Any], path: String) throws -> IngestRecord {
        guard let kindName = record["kind"] as? String, let kind = RecordKind(rawValue: kindName) else {
            throw RecordProblem(description: "\(path).kind: must be one of "
                                + RecordKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let body = record["body"] as? [String: Any] else {
            throw RecordProblem(description: "\(path).body: must be an object")
        }
        let fields = BodyFields(body: body, path: "\(path).body")
        let payload: IngestPayload
        switch kind {
        case .alert: payload = .alert(try fields.alert())
        case .incident: payload = .incident(try fields.incident())
        case .heartbeat: payload = .heartbeat(try fields.heartbeat())
        case .sbom: payload = .sbom(try fields.image(requirePackages: true))
        case .scan: payload = .scan(try fields.image(requirePackages: false))
        }
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw RecordProblem(description: "\(path).body: cannot be stored as JSON")
        }
        return IngestRecord(seq: seq, payload: payload, body: data)
    }

    /// JSON numbers arrive as NSNumber; booleans are NSNumbers too and are refused.
    static func integer(_ value: Any?) -> Int64? {
        // JSONSerialization makes booleans NSNumbers of type "c" (char), integers "q" (or "Q" past Int64), and
        // numbers with a fraction or exponent "d": 9088.0 is still the integer 9088, as JSON Schema says.
        guard let number = value as? NSNumber else { return nil }
        switch String(cString: number.objCType) {
        case "c", "B": return nil
        case "d", "f":
            let double = number.doubleValue
            guard double.rounded() == double, double >= -9.223372036854775808e18, double < 9.223372036854775808e18 else {
                return nil
            }
            return Int64(double)
        case "Q": return number.uint64Value <= UInt64(Int64.max) ? Int64(number.uint64Value) : nil
        default: return number.int64Value
        }
    }

    private static func reason(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return String(text.prefix(200))
    }
}

/// Reads the fields of one record body, naming the path of the first one that is wrong.
private struct BodyFields {
    let body: [String: Any]
    let path: String

    func string(_ key: String, required: Bool = true, max: Int = 4096) throws -> String? {
        guard let value = body[key], !(value is NSNull) else {
            if required { throw IngestBatch.RecordProblem(description: "\(path).\(key): missing") }
            return nil
        }
        guard let text = value as? String else {
            throw IngestBatch.RecordProblem(description: "\(path).\(key): must be a string")
        }
        guard text.utf8.count <= max else {
            throw IngestBatch.RecordProblem(description: "\(path).\(key): longer than \(max) bytes")
        }
        return text
    }

    func time(_ key: String) throws -> Int64 {
        guard let text = try string(key, max: 64), let parsed = Timestamp(parsing: text),
              parsed.nanoseconds <= UInt64(Int64.max) else {
            throw IngestBatch.RecordProblem(description: "\(path).\(key): must be an RFC 3339 time in UTC")
        }
        return Int64(parsed.nanoseconds)
    }

    func count(_ key: String) throws -> Int64 {
        guard let value = body[key] else { return 0 }
        guard let number = IngestBatch.integer(value), number >= 0 else {
            throw IngestBatch.RecordProblem(description: "\(path).\(key): must be a non-negative integer")
        }
        return number
    }

    func alert() throws -> AlertFacts {
        let time = try time("time")
        let rule = try string("rule", max: 1024) ?? ""
        guard let priorityName = try string("priority", max: 32), let priority = RulePriority(name: priorityName) else {
            throw IngestBatch.RecordProblem(description: "\(path).priority: not one of Falco's priorities")
        }
        let fields = body["output_fields"] as? [String: Any] ?? [:]
        let incident = try string("incident", required: false, max: 64)
        if let incident, !IncidentIdentifier.isValid(incident) {
            throw IngestBatch.RecordProblem(description: "\(path).incident: not an incident id (inc-YYYYMMDD-HHMMSS-xxxxxx)")
        }
        return AlertFacts(time: time, rule: rule, priority: priority.rawValue,
                          hostname: try string("hostname", required: false, max: 255) ?? "",
                          containerID: fields["container.id"] as? String ?? "",
                          containerName: fields["container.name"] as? String ?? "", incident: incident)
    }

    func incident() throws -> IncidentFacts {
        guard let incident = body["incident"] as? [String: Any] else {
            throw IngestBatch.RecordProblem(description: "\(path).incident: missing (the body is a timeline export)")
        }
        let inner = BodyFields(body: incident, path: path + ".incident")
        guard let id = try inner.string("id", max: 64), IncidentIdentifier.isValid(id) else {
            throw IngestBatch.RecordProblem(description: "\(path).incident.id: not an incident id")
        }
        for key in ["processes", "alerts", "entries"] where !(body[key] is [Any]) {
            throw IngestBatch.RecordProblem(description: "\(path).\(key): must be an array")
        }
        return IncidentFacts(id: id, hostname: try inner.string("hostname", required: false, max: 255) ?? "",
                             rule: try inner.string("firstRule", max: 1024) ?? "",
                             openedAt: try inner.time("openedAt"), alertCount: Int(try inner.count("alertCount")))
    }

    func heartbeat() throws -> HeartbeatFacts {
        var running: [String] = []
        if let list = body["running"] {
            guard let digests = list as? [Any], digests.count <= 10_000 else {
                throw IngestBatch.RecordProblem(description: "\(path).running: must be an array of image digests")
            }
            for item in digests {
                guard let digest = item as? String, (try? Digest(parsing: digest)) != nil else {
                    throw IngestBatch.RecordProblem(description: "\(path).running: \(String(describing: item).prefix(80)) "
                                                    + "is not a digest (sha256:…)")
                }
                running.append(digest)
            }
        }
        return HeartbeatFacts(time: try time("time"), hostname: try string("hostname", required: false, max: 255) ?? "",
                              version: try string("version", required: false, max: 128) ?? "",
                              kernel: try string("kernel", required: false, max: 255) ?? "",
                              drops: try count("drops"), spoolBytes: try count("spoolBytes"),
                              spoolRecords: try count("spoolRecords"), evicted: try count("evicted"),
                              running: Array(Set(running)).sorted())
    }

    /// SBOMs and scans: keyed by `source.digest` (or `source.imageID`), which must be a digest.
    func image(requirePackages: Bool) throws -> ImageFacts {
        guard let source = body["source"] as? [String: Any] else {
            throw IngestBatch.RecordProblem(description: "\(path).source: missing")
        }
        let key = (source["digest"] as? String) ?? (source["imageID"] as? String)
        guard let key, let digest = try? Digest(parsing: key) else {
            throw IngestBatch.RecordProblem(description: "\(path).source.digest: missing or not a digest "
                                            + "(images are keyed by digest; a dir: target has none)")
        }
        var packages = 0
        if requirePackages {
            guard let list = body["packages"] as? [Any] else {
                throw IngestBatch.RecordProblem(description: "\(path).packages: must be an array")
            }
            packages = list.count
        } else if !(body["matches"] is [Any]) {
            throw IngestBatch.RecordProblem(description: "\(path).matches: must be an array")
        }
        let tags = source["tags"] as? [String] ?? []
        let name = tags.first ?? (source["path"] as? String) ?? ""
        var distro = ""
        if let object = body["distro"] as? [String: Any] {
            distro = [object["id"] as? String, object["versionID"] as? String].compactMap { $0 }.joined(separator: " ")
        }
        let imageID = (source["imageID"] as? String).flatMap { try? Digest(parsing: $0) }?.description ?? ""
        return ImageFacts(digest: digest.description, imageID: imageID, name: String(name.prefix(512)), distro: distro, packages: packages)
    }
}
