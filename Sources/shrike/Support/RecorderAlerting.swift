import ShrikeAlerting
import ShrikeRecorder
import ShrikeRules
import ShrikeSensor

/// The flight recorder as the alerting pipeline sees it.
final class RecorderAlerting: AlertRecorder {
    let recorder: Recorder

    init(_ recorder: Recorder) {
        self.recorder = recorder
    }

    func record(_ event: Event, processes: ProcessTable) {
        recorder.record(event, processes: processes)
    }

    func alert(_ alert: Alert, processes: ProcessTable?) -> String? {
        recorder.alert(alert, processes: processes)
    }

    func tick(now: UInt64) {
        recorder.tick(now: now)
    }

    func shutdown() {
        recorder.shutdown()
    }
}
