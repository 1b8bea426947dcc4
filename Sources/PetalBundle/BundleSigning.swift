import Crypto
import Foundation
import PetalData

/// Ed25519 keys for signed bundles (swift-crypto's `Curve25519.Signing`). A bundle's manifest covers every
/// other file by SHA-256 and itself by its canonical digest; signing that canonical form with a private key
/// means an edited bundle is refused even when its checksums were recomputed, because only the key's owner
/// can sign again.
///
/// Key files are one line of text:
/// - secret key: `petal-ed25519-secret-key <base64 of the 32-byte private key>` (written with mode 0600);
/// - public key: `petal-ed25519-public-key <base64 of the 32-byte public key>`.
public struct BundleSigningKey: Sendable {
    let key: Curve25519.Signing.PrivateKey
    static let label = "petal-ed25519-secret-key"

    /// A new random key.
    public init() { key = Curve25519.Signing.PrivateKey() }

    /// Reads a secret key file.
    /// - Throws: `PetalError` naming the file when it is missing, unreadable, a public key, or not a key file.
    public init(file path: String) throws {
        let raw = try BundleKeyFile.read(path, label: BundleSigningKey.label, other: BundleVerifyingKey.label, kind: "secret")
        do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
            throw PetalError("\(path) does not hold a valid Ed25519 secret key", hint: "make a key pair with petal keygen DIR")
        }
    }

    /// The matching public key.
    public var publicKey: BundleVerifyingKey { BundleVerifyingKey(key: key.publicKey) }

    /// The key file's text.
    public var fileText: String { "\(BundleSigningKey.label) \(key.rawRepresentation.base64EncodedString())\n" }

    /// The signature of `message`, base64.
    func sign(_ message: Data) throws -> String {
        do { return try key.signature(for: message).base64EncodedString() } catch {
            throw PetalError("cannot sign the bundle: \(error)")
        }
    }
}

/// An Ed25519 public key: verifies signed bundles (`petal serve DIR --require-signature PUBKEY`).
public struct BundleVerifyingKey: Sendable, Hashable {
    let key: Curve25519.Signing.PublicKey
    static let label = "petal-ed25519-public-key"

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// Reads a public key file.
    /// - Throws: `PetalError` naming the file when it is missing, unreadable, a secret key, or not a key file.
    public init(file path: String) throws {
        let raw = try BundleKeyFile.read(path, label: BundleVerifyingKey.label, other: BundleSigningKey.label, kind: "public")
        try self.init(raw: raw, source: path)
    }

    /// A key from its 32 bytes (base64 in a manifest's signature).
    init(raw: Data, source: String) throws {
        do { key = try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch {
            throw PetalError("\(source) does not hold a valid Ed25519 public key", hint: "use the .pub file petal keygen wrote")
        }
    }

    /// The key's 32 bytes, base64 (as written in key files and manifests).
    public var base64: String { key.rawRepresentation.base64EncodedString() }

    /// A short fingerprint for people: the first 16 hex digits of the key's SHA-256.
    public var fingerprint: String { String(PetalData.SHA256.hex(key.rawRepresentation).prefix(16)) }

    /// The key file's text.
    public var fileText: String { "\(BundleVerifyingKey.label) \(base64)\n" }

    /// True when `signature` (base64) is this key's signature of `message`.
    func verifies(_ signature: String, of message: Data) -> Bool {
        guard let bytes = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(bytes, for: message)
    }

    public static func == (a: BundleVerifyingKey, b: BundleVerifyingKey) -> Bool { a.key.rawRepresentation == b.key.rawRepresentation }
    public func hash(into h: inout Hasher) { h.combine(key.rawRepresentation) }
}

/// Reading and writing the one-line key files.
public enum BundleKeyFile {
    /// The file names `petal keygen DIR` writes.
    public static let secretName = "petal-signing.key", publicName = "petal-signing.pub"

    static func read(_ path: String, label: String, other: String, kind: String) throws -> Data {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            let missing = !FileManager.default.fileExists(atPath: path)
            throw PetalError(missing ? "no key file \(path)" : "cannot read the key file \(path)",
                            hint: missing ? "make a key pair with petal keygen DIR" : "check the file's permissions")
        }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
        guard parts.count == 2, parts[0] == label, let raw = Data(base64Encoded: String(parts[1])), raw.count == 32 else {
            if parts.first.map(String.init) == other {
                throw PetalError("\(path) is a \(kind == "secret" ? "public" : "secret") key; this needs the \(kind) key",
                                hint: kind == "secret" ? "sign with the .key file petal keygen wrote" : "verify with the .pub file petal keygen wrote")
            }
            throw PetalError("\(path) is not a Petal \(kind) key file (expected one line: \(label) BASE64)", hint: "make a key pair with petal keygen DIR")
        }
        return raw
    }

    /// Writes a new key pair into `directory` (`petal-signing.key`, mode 0600, and `petal-signing.pub`); refuses
    /// to overwrite an existing key.
    /// - Returns: the two paths.
    public static func generate(in directory: URL) throws -> (secret: String, public: String) {
        let fm = FileManager.default
        let secret = directory.appendingPathComponent(secretName).path, pub = directory.appendingPathComponent(publicName).path
        for path in [secret, pub] where fm.fileExists(atPath: path) {
            throw PetalError("\(path) already exists; a key is never overwritten", hint: "choose another folder, or remove the old key first")
        }
        let key = BundleSigningKey()
        do {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true)
            guard fm.createFile(atPath: secret, contents: Data(key.fileText.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw PetalError("cannot write \(secret)", hint: "check the folder and its permissions")
            }
            try Data(key.publicKey.fileText.utf8).write(to: URL(fileURLWithPath: pub))
        } catch let e as PetalError { throw e } catch {
            throw PetalError("cannot write the key pair to \(directory.path): \(error.localizedDescription)", hint: "check the folder and its permissions")
        }
        return (secret, pub)
    }
}
