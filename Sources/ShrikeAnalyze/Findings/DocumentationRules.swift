/// Documentation that packages install and containers never read.
enum DocumentationRules {
    static let all: [PathRule] = [
        PathRule(kind: .documentation, id: "docs", what: "documentation, man and info pages",
                 fix: """
                 on Debian/Ubuntu add a dpkg filter before installing (`path-exclude /usr/share/doc/*`, \
                 `path-exclude /usr/share/man/*`, `path-exclude /usr/share/info/*` in /etc/dpkg/dpkg.cfg.d/excludes), \
                 or remove them in the same RUN; on Alpine do not install `*-doc` packages
                 """,
                 matches: PathRule.under(["/usr/share/doc/", "/usr/share/man/", "/usr/share/info/", "/usr/share/gtk-doc/"])),
    ]
}
