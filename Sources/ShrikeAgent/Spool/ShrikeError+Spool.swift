import ShrikeCore

extension ShrikeError.Code {
    /// Another process holds the spool folder (a running `shrike watch --server`).
    public static let spoolBusy = ShrikeError.Code("spool-busy")
}
