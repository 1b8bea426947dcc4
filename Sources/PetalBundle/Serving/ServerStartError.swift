/// Why a server could not start listening, in words: a port in use names the port and how to pick another.
public struct ServerStartError: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// True when another program already listens on the port (EADDRINUSE).
    public var portInUse: Bool
    public var detail: String
    /// How the caller's users choose a port (`port=N` in the workbench, `--port N` on the command line).
    public var portOption = "port=N"

    public init(host: String, port: Int, portInUse: Bool, detail: String) {
        self.host = host; self.port = port; self.portInUse = portInUse; self.detail = detail
    }

    public var description: String {
        if portInUse { return "port \(port) is in use; pick another with \(portOption) (0 picks a free one)" }
        return "cannot listen on \(host):\(port): \(detail)"
    }
}
