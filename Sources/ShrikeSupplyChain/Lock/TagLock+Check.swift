import ShrikeCore

extension TagLock {
    /// The entries that apply to `target`: the one recorded for exactly this target string, else every entry whose
    /// tag equals the target's tag.
    public func entries(for target: String, tag: String?) -> [Entry] {
        let exact = images.filter { $0.target == target }
        if !exact.isEmpty { return exact }
        guard let tag else { return [] }
        return images.filter { $0.tag == tag }
    }

    /// Compares `image` (resolved now) with what was locked for `target`. Returns nil when it matches.
    /// Throws `notFound` when the lock has no entry for the target.
    public func check(_ image: ResolvedImage, target: String, input: String? = nil) throws -> [MovedTag] {
        let entries = entries(for: target, tag: image.tag)
        guard !entries.isEmpty else {
            throw ShrikeError(.notFound, "the lock file has no entry for \(target) (run `shrike lock \(target) --file FILE`)", input: input)
        }
        return entries.filter { $0.digest != image.digest }.map {
            MovedTag(target: $0.target, tag: $0.tag, locked: $0.digest, current: image.digest)
        }
    }
}
