import ArgumentParser
import Foundation
import PetalBundle
import PetalData

/// `petal keygen DIR`: a new Ed25519 key pair for signing bundles.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make an Ed25519 key pair for signed bundles.",
        discussion: """
            Writes DIR/\(BundleKeyFile.secretName) (the secret key, readable by you only) and DIR/\(BundleKeyFile.publicName) \
            (the public key); an existing key is never overwritten. Each file is one line of text: \
            "petal-ed25519-secret-key BASE64" or "petal-ed25519-public-key BASE64", the 32-byte key in base64. \
            Sign a bundle with export P to DIR sign=DIR/\(BundleKeyFile.secretName); serve only signed bundles with \
            petal serve BUNDLE --require-signature DIR/\(BundleKeyFile.publicName) (petal predict and petal demo take \
            --require-signature too). Keep the secret key out of bundles and repositories.
            """
    )

    @Argument(help: "The folder to write the key pair into (made when missing).")
    var directory: String

    func run() throws {
        do {
            let (secret, pub) = try BundleKeyFile.generate(in: URL(fileURLWithPath: directory))
            let key = try BundleVerifyingKey(file: pub)
            print("wrote \(secret) (secret: keep it private) and \(pub) (public, fingerprint \(key.fingerprint))")
            print("  sign    export P to BUNDLE sign=\(secret)")
            print("  verify  petal serve BUNDLE --require-signature \(pub)")
        } catch let e as PetalError {
            FileHandle.standardError.write(Data("error: \(e)\n".utf8))
            throw ExitCode(1)
        }
    }
}
