/// ptrace(2) request names, as Falco prints `evt.arg.request`.
public enum PtraceRequest {
    /// `PTRACE_ATTACH`, `PTRACE_TRACEME`, …; `PTRACE_<n>` for requests without a name here.
    public static func name(_ request: UInt64) -> String {
        switch request {
        case 0: "PTRACE_TRACEME"
        case 1: "PTRACE_PEEKTEXT"
        case 2: "PTRACE_PEEKDATA"
        case 3: "PTRACE_PEEKUSR"
        case 4: "PTRACE_POKETEXT"
        case 5: "PTRACE_POKEDATA"
        case 6: "PTRACE_POKEUSR"
        case 7: "PTRACE_CONT"
        case 8: "PTRACE_KILL"
        case 9: "PTRACE_SINGLESTEP"
        case 12: "PTRACE_GETREGS"
        case 13: "PTRACE_SETREGS"
        case 16: "PTRACE_ATTACH"
        case 17: "PTRACE_DETACH"
        case 24: "PTRACE_SYSCALL"
        case 0x4200: "PTRACE_SETOPTIONS"
        case 0x4206: "PTRACE_SEIZE"
        case 0x4207: "PTRACE_INTERRUPT"
        default: "PTRACE_\(request)"
        }
    }
}
