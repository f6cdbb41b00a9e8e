import Dispatch
import Foundation
import ShrikeCore
import ShrikeRules
import ShrikeSensor

/// The flight recorder, incident manager and store behind one small interface for `shrike watch`'s sink.
///
/// Call everything from one thread (the sensor's): for each event `record(_:processes:)` first, then `alert(_:)` for
/// each alert it raised, and `tick(now:)` now and then (e.g. once per drained batch) so incidents close even when
/// no events arrive. Closed incidents are compressed and written on a background queue; at most
/// `maxPendingWrites` wait there, after which the caller blocks (memory stays bounded). `shutdown()` closes all open
/// incidents and waits until everything is written.
public final class Recorder: @unchecked Sendable {
    // @unchecked: `ring` and `manager` are only touched by the one thread the type contract names; the store is
    // Sendable and the persistence queue only receives immutable values.
    public let configuration: RecorderConfiguration
    public let store: IncidentStore
    private var ring: FlightRecorder
    private var manager: IncidentManager
    private let persistence = DispatchQueue(label: "shrike.recorder.persistence")
    private let pending: DispatchSemaphore
    private let group = DispatchGroup()
    private var stopped = false
    static let maxPendingWrites = 4

    /// Opens (creating) the incident store; throws `io` when the record directory is unusable.
    public init(configuration: RecorderConfiguration) throws {
        self.configuration = configuration
        store = try IncidentStore(directory: configuration.recordDirectory, maxBytes: configuration.maxStoreBytes)
        ring = FlightRecorder(window: max(configuration.window, configuration.before),
                              maxBytes: configuration.maxRecordBytes)
        manager = IncidentManager(
            settings: IncidentManager.Settings(before: configuration.before, after: configuration.after,
                                               maxDuration: configuration.maxIncidentDuration,
                                               maxEventsPerIncident: configuration.maxEventsPerIncident),
            seed: configuration.seed)
        pending = DispatchSemaphore(value: Self.maxPendingWrites)
    }

    /// Keeps `event` in the flight recorder and adds it to the open incidents it belongs to. `processes` (the
    /// sensor's table, valid during the call) helps place descendants of a host process tree; it is not kept.
    public func record(_ event: Event, processes: ProcessTable? = nil) {
        guard !stopped else { return }
        ring.append(event)
        manager.record(event, processes: processes)
        persistClosed()
    }

    /// Files `alert` under an incident and returns its id (`inc-…`) at once, for the alert's `"incident"` field.
    public func alert(_ alert: Alert, processes: ProcessTable? = nil) -> String {
        let id = manager.alert(alert, ring: ring, processes: processes)
        persistClosed()
        return id
    }

    /// Closes incidents whose after-window ended before `now` (nanoseconds since the epoch, the events' clock).
    public func tick(now: UInt64) {
        manager.tick(now: now)
        persistClosed()
    }

    /// Closes and writes every open incident, then waits for all writes. Later calls to `record` are ignored.
    public func shutdown() {
        guard !stopped else { return }
        stopped = true
        // The events' clock: an incident whose after-window the events had not reached yet is closed early.
        let now = ring.newestTime > 0 ? ring.newestTime : UInt64(Date().timeIntervalSince1970 * 1e9)
        manager.shutdown(now: now)
        persistClosed()
        group.wait()
    }

    /// Ids of the incidents still collecting events.
    public var openIncidents: [String] { manager.openIncidents }

    /// What the flight recorder holds now.
    public var statistics: FlightRecorderStatistics { ring.statistics }

    /// Blocks until every closed incident handed to the background queue is written.
    public func waitForWrites() {
        group.wait()
    }

    private func persistClosed() {
        let closed = manager.takeClosed()
        guard !closed.isEmpty else { return }
        for incident in closed {
            pending.wait()
            group.enter()
            let store = store, configuration = configuration, pending = pending, group = group
            persistence.async {
                defer {
                    pending.signal()
                    group.leave()
                }
                do {
                    let summary = try store.save(incident)
                    configuration.onSaved?(summary)
                } catch let error as ShrikeError {
                    configuration.onError?(error)
                } catch {
                    configuration.onError?(ShrikeError(.io, "cannot store incident: \(error)", input: incident.summary.id))
                }
            }
        }
    }
}
