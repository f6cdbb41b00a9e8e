import Foundation

/// Converts the kernel's CLOCK_BOOTTIME nanoseconds (event times) to wall-clock time.
public struct BootClock: Sendable {
    /// realtime − boottime, in nanoseconds, measured once at start.
    public let offset: Int64
    public let ticksPerSecond: UInt64

    public init() {
        var real = timespec(), boot = timespec()
        clock_gettime(CLOCK_REALTIME, &real)
        clock_gettime(CLOCK_BOOTTIME, &boot)
        offset = (Int64(real.tv_sec) - Int64(boot.tv_sec)) * 1_000_000_000 + (Int64(real.tv_nsec) - Int64(boot.tv_nsec))
        let hz = sysconf(Int32(_SC_CLK_TCK))
        ticksPerSecond = hz > 0 ? UInt64(hz) : 100
    }

    /// Nanoseconds since the Unix epoch for a boot-time stamp.
    public func wallNanoseconds(boot: UInt64) -> UInt64 {
        UInt64(max(0, Int64(bitPattern: boot) &+ offset))
    }

    /// /proc's starttime (clock ticks since boot) in boot nanoseconds.
    public func bootNanoseconds(fromTicks ticks: UInt64) -> UInt64 {
        ticks * (1_000_000_000 / ticksPerSecond)
    }

    /// The current CLOCK_BOOTTIME in nanoseconds.
    public static func nowBoot() -> UInt64 {
        var boot = timespec()
        clock_gettime(CLOCK_BOOTTIME, &boot)
        return UInt64(boot.tv_sec) * 1_000_000_000 + UInt64(boot.tv_nsec)
    }
}
