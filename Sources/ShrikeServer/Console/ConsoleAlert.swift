import Foundation
import ShrikeRecorder
import ShrikeRules

/// An alert as the console shows it, read from the agent's JSON (Falco's shape plus `incident` and `hostname`):
/// every text already through `ConsoleText.display`.
package struct ConsoleAlert: Sendable {
    package var id: String
    package var time: String
    package var nanoseconds: Int64
    package var priority: String
    package var priorityRank: Int
    package var rule: String
    package var host: String
    package var containerID: String
    package var containerName: String
    package var image: String
    package var commandLine: String
    package var output: String
    package var tags: [String]
    /// The incident id, only when it has the shape of one (it goes into a link).
    package var incident: String?
    /// The body lowercased, for the live feed's text filter (the same match the store's LIKE makes).
    var searchable: String

    package init(agent: String, seq: Int64, body: Data) {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        let fields = object["output_fields"] as? [String: Any] ?? [:]
        id = "\(agent)/\(seq)"
        let clock = object["time"] as? String ?? ""
        nanoseconds = Timestamp(parsing: clock).map { Int64(clamping: $0.nanoseconds) } ?? 0
        time = nanoseconds > 0 ? ConsoleText.time(nanoseconds: nanoseconds) : ConsoleText.display(clock)
        let named = RulePriority(name: object["priority"] as? String ?? "")
        priority = named?.name ?? ConsoleText.field(object["priority"])
        priorityRank = named?.rawValue ?? RulePriority.debug.rawValue
        rule = ConsoleText.field(object["rule"])
        host = ConsoleText.field(object["hostname"])
        containerID = ConsoleText.field(fields["container.id"])
        containerName = ConsoleText.field(fields["container.name"])
        image = ConsoleText.field(fields["container.image.repository"])
        commandLine = ConsoleText.field(fields["proc.cmdline"])
        output = ConsoleText.field(object["output"])
        tags = (object["tags"] as? [Any] ?? []).map(ConsoleText.field)
        let incident = object["incident"] as? String
        self.incident = incident.flatMap { IncidentIdentifier.isValid($0) ? $0 : nil }
        searchable = String(decoding: body, as: UTF8.self).lowercased()
        rawRule = object["rule"] as? String ?? ""
        rawHost = object["hostname"] as? String ?? ""
        rawContainerID = fields["container.id"] as? String ?? ""
        rawContainerName = fields["container.name"] as? String ?? ""
        rawImage = fields["container.image.repository"] as? String ?? ""
        rawTags = object["tags"] as? [String] ?? []
    }

    // What filters compare: the agent's own text, as the store's columns hold it.
    var rawRule: String, rawHost: String, rawContainerID: String, rawContainerName: String, rawImage: String
    var rawTags: [String]

    /// The template's view of the row.
    var context: [String: Any] {
        var object: [String: Any] = [
            "id": ConsoleText.display(id), "time": time, "priority": priority,
            "priorityClass": "p\(priorityRank)", "rule": rule, "host": host, "container": containerName.isEmpty
                ? String(containerID.prefix(12)) : containerName,
            "image": image, "commandLine": commandLine, "output": output, "tags": tags.joined(separator: ", "),
            "ruleQuery": ConsoleText.query(rawRule), "hostQuery": ConsoleText.query(rawHost),
        ]
        if let incident { object["incident"] = incident }
        return object
    }

    /// The live feed's JSON of the row (the page's script sets it as text, never as markup).
    var json: String {
        var object = context
        object.removeValue(forKey: "ruleQuery")
        object.removeValue(forKey: "hostQuery")
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
