/// Compilers, headers and `-dev` packages: needed to build, not to run.
enum ToolchainRules {
    static let fix = """
        build in a separate stage (`FROM … AS build`) and `COPY --from=build` only the results into a runtime image \
        that installs no compiler, headers or -dev packages
        """

    static let paths = PathRule(kind: .buildToolchain, id: "toolchain", what: "compilers and headers", fix: fix,
                                matches: { path in isToolchainPath(path) })

    static let prefixes = ["/usr/lib/gcc/", "/usr/libexec/gcc/", "/usr/include/", "/usr/local/include/", "/usr/lib/llvm-",
                           "/usr/local/go/pkg/tool/", "/usr/lib/go-", "/usr/local/go/src/"]
    static let compilers: Set<String> = ["gcc", "g++", "cc", "c++", "cpp", "clang", "clang++", "rustc", "cargo", "javac", "go"]

    static func isToolchainPath(_ path: String) -> Bool {
        if prefixes.contains(where: { path.hasPrefix($0) }) { return true }
        guard path.hasPrefix("/usr/bin/") || path.hasPrefix("/usr/local/bin/") else { return false }
        var name = Substring(path[path.index(after: path.lastIndex(of: "/") ?? path.startIndex)...])
        for triplet in ["x86_64-linux-gnu-", "aarch64-linux-gnu-", "x86_64-alpine-linux-musl-"] where name.hasPrefix(triplet) {
            name = name.dropFirst(triplet.count)
        }
        // gcc-12, clang-16: a version suffix after a dash.
        if let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].allSatisfy({ $0.isNumber || $0 == "." }) {
            name = name[..<dash]
        }
        return compilers.contains(String(name))
    }

    /// Package names that mean a build toolchain is installed.
    static func isBuildPackage(_ name: String) -> Bool {
        if name.hasSuffix("-dev") || name.hasSuffix("-devel") { return true }
        // gcc-12-base and friends are run-time libraries every Debian has.
        if name.hasSuffix("-base") { return false }
        let exact: Set<String> = ["build-essential", "build-base", "gcc", "g++", "cpp", "make", "clang", "binutils", "autoconf",
                                  "automake", "libtool", "cmake", "golang", "rustc", "cargo"]
        if exact.contains(name) { return true }
        // gcc-12, g++-12, cpp-12, clang-16, golang-1.19-go
        for prefix in ["gcc-", "g++-", "cpp-", "clang-", "golang-"] where name.hasPrefix(prefix) {
            return name.dropFirst(prefix.count).first?.isNumber ?? false
        }
        return false
    }
}
