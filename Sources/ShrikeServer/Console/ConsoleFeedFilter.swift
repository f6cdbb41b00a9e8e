import Foundation
import ShrikeRules

/// The feed's filters, from its form's query string: the same filters select the stored page (as an `AlertQuery`)
/// and the alerts the live stream pushes (`matches`).
package struct ConsoleFeedFilter: Sendable {
    /// The time spans offered, in seconds (nil: everything kept).
    package static let spans: [(name: String, label: String, seconds: Int64?)] = [
        ("15m", "last 15 minutes", 900), ("1h", "last hour", 3600), ("24h", "last 24 hours", 86400),
        ("7d", "last 7 days", 7 * 86400), ("30d", "last 30 days", 30 * 86400), ("all", "everything kept", nil),
    ]

    package var span = "24h"
    package var priority: RulePriority?
    package var rule: String?
    package var host: String?
    package var container: String?
    package var image: String?
    package var tag: String?
    package var text: String?
    package var cursor: Int64?

    package init(_ form: ConsoleForm) {
        if let span = form.text("span"), Self.spans.contains(where: { $0.name == span }) { self.span = span }
        priority = form.text("priority").flatMap(RulePriority.init(name:))
        rule = form.text("rule")
        host = form.text("host")
        container = form.text("container")
        image = form.text("image")
        tag = form.text("tag")
        text = form.text("q")
        cursor = form.text("cursor").flatMap(Int64.init)
    }

    /// The store's query for the page (`limit` rows) at `now`.
    package func query(now: Date, limit: Int) -> AlertQuery {
        var query = AlertQuery(rule: rule, minimumPriority: priority, host: host, container: container,
                               before: cursor, limit: limit, tag: tag, image: image, text: text)
        if let seconds = Self.spans.first(where: { $0.name == span })?.seconds {
            query.since = Int64(now.timeIntervalSince1970 * 1e9) - seconds * 1_000_000_000
        }
        return query
    }

    /// Whether a new alert belongs on the page (the span is open-ended at now, so any new alert is inside it).
    package func matches(_ alert: ConsoleAlert) -> Bool {
        if let rule, alert.rawRule != rule { return false }
        if let priority, alert.priorityRank > priority.rawValue { return false }
        if let host, alert.rawHost != host { return false }
        if let container, alert.rawContainerID != String(container.prefix(12)), alert.rawContainerName != container {
            return false
        }
        if let image, !alert.rawImage.lowercased().hasPrefix(image.lowercased()) { return false }
        if let tag, !alert.rawTags.contains(where: { $0.lowercased() == tag.lowercased() }) { return false }
        if let text, !alert.searchable.contains(text.lowercased()) { return false }
        return true
    }

    /// The filters as a query string (without the cursor), for links and the stream's URL.
    package var queryString: String {
        var pairs: [(String, String)] = [("span", span)]
        if let priority { pairs.append(("priority", priority.name)) }
        for (name, value) in [("rule", rule), ("host", host), ("container", container), ("image", image),
                              ("tag", tag), ("q", text)] {
            if let value { pairs.append((name, value)) }
        }
        return pairs.map { "\($0.0)=\(ConsoleText.query($0.1))" }.joined(separator: "&")
    }

    /// The form's current values, for the template.
    var context: [String: Any] {
        [
            "spans": Self.spans.map { ["name": $0.name, "label": $0.label, "selected": $0.name == span] },
            "priorities": RulePriority.allCases.map { ["name": $0.name, "selected": $0 == priority] },
            "rule": rule ?? "", "host": host ?? "", "container": container ?? "", "image": image ?? "",
            "tag": tag ?? "", "q": text ?? "", "query": queryString,
        ]
    }
}
