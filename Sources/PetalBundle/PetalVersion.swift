/// Petal's release version: the one constant stamped into bundle manifests (`petal_version`), the ONNX
/// `producer_version`, tracked runs, `petal --version` and the server's `/version`. It lives here, in the lowest
/// module that writes it (bundles); the session, the server and the executable read it from here.
public enum PetalVersion {
    public static let current = "0.6.0"
}
