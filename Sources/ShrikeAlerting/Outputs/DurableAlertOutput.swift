import ShrikeRules

/// An output that must hold an alert before anyone else sees it: the agent's spool, so that an alert printed on the
/// terminal or sent to a webhook is never one a crash kept from the server.
///
/// `emit(_:then:)` returns at once; it calls `then` (on a thread of its own) once the alert is written where it
/// survives a crash — or was dropped or failed, which its statistics count — and calls it exactly once, in the order
/// the alerts came. The dispatcher gives the other outputs the alert from `then`.
public protocol DurableAlertOutput: AlertOutput {
    func emit(_ alert: Alert, then: @escaping @Sendable () -> Void)
}
