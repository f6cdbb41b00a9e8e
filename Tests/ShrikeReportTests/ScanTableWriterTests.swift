import Foundation
import ShrikeCore
import ShrikeVulnDB
import Testing
@testable import ShrikeReport

struct ScanTableWriterTests {
    @Test("grouped by package, most severe first, aligned, with a summary line")
    func table() {
        let text = ScanTableWriter().render(ScanFixtures.report())
        let a = SBOMFixtures.baseLayer.short
        let b = SBOMFixtures.appLayer.short
        #expect(text == """
        musl 1.2.5-r0 (apk) · layer \(a)
          CVE-2019-14697  critical    fixed in 1.2.5-r1
          CVE-2024-0001   low         not fixed
        libc6 2.36-9+deb12u4 (deb) from glibc · layer \(b)
          CVE-2023-4911   high        not fixed  DSA-5514-1
        bash 5.1.8-9.el9 (rpm) · layer \(b)
          CVE-2022-3715   medium      won't fix
        zlib 1.3.1-r1 (apk)
          CVE-2019-14697  critical    not fixed
          CVE-2024-0002   negligible  fixed in 1.3.1-r2
        dup 1.0-1 (rpm) · layer \(b)
          CVE-2024-0003   unknown     not fixed
        7 vulnerabilities in 5 packages: 2 critical, 1 high, 1 medium, 1 low, 1 negligible, 1 unknown; 1 suppressed by VEX

        """)
        #expect(!text.contains("\u{1B}"))
    }

    @Test("--show-suppressed lists VEX-suppressed matches in their own section")
    func suppressed() {
        let text = ScanTableWriter().render(ScanFixtures.report(showSuppressed: true))
        #expect(text.contains("""
        Suppressed by VEX
        busybox 1.36.1-r29 (apk) · layer \(SBOMFixtures.baseLayer.short)
          CVE-2024-9999   high        VEX not_affected (vulnerable_code_not_in_execute_path)
        """))
    }

    @Test("severity colours only when asked for")
    func colours() {
        let text = ScanTableWriter(useColor: true).render(ScanFixtures.report())
        #expect(text.contains("\u{1B}[1;31mcritical\u{1B}[0m"))
        #expect(text.contains("\u{1B}[31mhigh\u{1B}[0m"))
        #expect(text.contains("\u{1B}[33mmedium\u{1B}[0m"))
    }

    @Test("an empty scan says so and still prints the summary")
    func empty() {
        #expect(ScanTableWriter().render(ScanFixtures.empty) == """
        No vulnerabilities found.
        0 vulnerabilities in 0 packages: 0 critical, 0 high, 0 medium, 0 low, 0 negligible, 0 unknown

        """)
    }
}
