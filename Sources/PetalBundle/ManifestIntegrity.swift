import Foundation
import PetalData
import PetalML

/// An Ed25519 signature of a manifest's canonical form (see `ManifestIntegrity`).
public struct BundleSignature: Sendable, Codable, Hashable {
    /// Always `ed25519`.
    public var algorithm: String
    /// The signer's public key, base64 (informational: `--require-signature` verifies with the key it is given).
    public var publicKey: String
    /// The signature, base64.
    public var value: String

    enum CodingKeys: String, CodingKey { case algorithm, publicKey = "public_key", value }
}

/// What covers `petal.json` itself. Every other file is covered by its SHA-256 in `files`; the manifest carries
/// the SHA-256 of its own canonical form (`manifest_sha256`) and, in a signed bundle, an Ed25519 signature of it.
///
/// The canonical form is the manifest encoded as compact JSON with sorted keys, without `manifest_sha256` and
/// `signature`. It is recomputed from the decoded manifest at load, so whitespace and key order do not matter,
/// while any change of content (an input renamed, a type changed, a checksum replaced) does. The digest
/// catches edits and damage; only the signature stops someone who recomputes the checksums.
public enum ManifestIntegrity {
    /// The bytes that are hashed and signed.
    public static func canonical(_ manifest: BundleManifest) throws -> Data {
        var bare = manifest
        bare.manifestSHA256 = nil
        bare.signature = nil
        let encoder = ModelFormat.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(bare)
    }

    /// `manifest` with its digest filled in and, when `key` is given, signed.
    public static func sealed(_ manifest: BundleManifest, signingKey key: BundleSigningKey?) throws -> BundleManifest {
        var sealed = manifest
        let bytes = try canonical(manifest)
        sealed.manifestSHA256 = SHA256.hex(bytes)
        sealed.signature = try key.map { BundleSignature(algorithm: "ed25519", publicKey: $0.publicKey.base64, value: try $0.sign(bytes)) }
        return sealed
    }

    /// Checks the digest (when the manifest has one: bundles written by Petal 0.6.0 have none) and the signature.
    /// - Parameter key: when given, the bundle must be signed by this key; otherwise a signature that is present
    ///   must still verify with the key it names (so an edited signed bundle is refused either way).
    /// - Throws: `PetalError` saying which check failed and what to do.
    public static func verify(_ manifest: BundleManifest, folder: String, requiredKey key: BundleVerifyingKey?) throws {
        let bytes = try canonical(manifest)
        if let digest = manifest.manifestSHA256 {
            guard SHA256.hex(bytes) == digest.lowercased() else {
                throw PetalError("petal.json in \(folder) does not match its own checksum (manifest_sha256): the manifest was edited or damaged",
                                hint: "export the model again; bundle files must not be edited")
            }
        } else if key != nil {
            throw PetalError("\(folder) was exported by an older Petal, without a manifest checksum or signature",
                            hint: "export it again with sign=KEYFILE to serve it with --require-signature")
        }
        guard let signature = manifest.signature else {
            if let key {
                throw PetalError("\(folder) is not signed, and a signature by key \(key.fingerprint) is required",
                                hint: "export it with sign=KEYFILE (the secret key of that pair), or serve it without --require-signature")
            }
            return
        }
        guard signature.algorithm == "ed25519" else {
            throw PetalError("petal.json in \(folder) is signed with \(signature.algorithm), which Petal does not know", hint: "export the model again")
        }
        let signer = try key ?? BundleVerifyingKey(raw: Data(base64Encoded: signature.publicKey) ?? Data(), source: "the signature in petal.json")
        guard signer.verifies(signature.value, of: bytes) else {
            let byOther = key != nil && signature.publicKey != key?.base64
            throw PetalError(byOther ? "\(folder) is signed by another key than \(signer.fingerprint)"
                                    : "the signature in \(folder)/petal.json does not match its content: the bundle was changed after it was signed",
                            hint: byOther ? "verify with the public key of the pair that signed it, or export again with the right key"
                                          : "export the model again and sign it; signed bundles must not be edited")
        }
    }
}
