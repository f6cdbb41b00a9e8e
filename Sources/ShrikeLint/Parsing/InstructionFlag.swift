/// A `--name=value` (or bare `--name`) flag before an instruction's arguments: `COPY --from=build`, `RUN --mount=…`.
public struct InstructionFlag: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}
