import ShrikeCore

extension ShrikeError.Code {
    /// The machine cannot run the sensor (privileges, kernel features); the message says what to change.
    public static let sensorUnavailable = ShrikeError.Code("sensor-unavailable")
    /// The kernel refused the BPF program; the message carries the verifier's last lines.
    public static let sensorLoadFailed = ShrikeError.Code("sensor-load-failed")
}
