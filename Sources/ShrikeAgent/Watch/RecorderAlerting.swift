import ShrikeAlerting
import ShrikeRecorder
import ShrikeRules
import ShrikeSensor

/// The flight recorder as the alerting pipeline sees it.
public final class RecorderAlerting: AlertRecorder {
    public let recorder: Recorder

    public init(_ recorder: Recorder) {
        self.recorder = recorder
    }

    public func record(_ event: Event, processes: ProcessTable) {
        recorder.record(event, processes: processes)
    }

    public func alert(_ alert: Alert, processes: ProcessTable?) -> String? {
        recorder.alert(alert, processes: processes)
    }

    public func tick(now: UInt64) {
        recorder.tick(now: now)
    }

    public func shutdown() {
        recorder.shutdown()
    }
}
