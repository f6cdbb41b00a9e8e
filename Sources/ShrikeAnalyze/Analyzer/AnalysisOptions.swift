import ShrikeImage

/// Where the base image's layers come from.
public enum BaseSelection: Sendable, Equatable {
    /// From the image's own history (see `BaseDetector`).
    case auto
    /// The layers whose diff ids start this image's list.
    case image(Target)
}

/// How to analyse: how to read the image, how to find its base, and the bounds on detail lists.
public struct AnalysisOptions: Sendable {
    public var read: ImageReadOptions
    public var base: BaseSelection
    public var limits: AnalysisLimits

    public init(read: ImageReadOptions = ImageReadOptions(), base: BaseSelection = .auto,
                limits: AnalysisLimits = AnalysisLimits()) {
        self.read = read
        self.base = base
        self.limits = limits
    }
}
