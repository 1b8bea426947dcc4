import Foundation
import PetalTestSupport

/// Loads a JSON fixture from Tests/Fixtures/sklearn (written by its generate.py); empty when missing.
enum SklearnFixture {
    static func load(_ name: String) -> [String: Any] {
        let url = RepoPaths.url("Tests/Fixtures/sklearn/\(name)")
        guard let data = try? Data(contentsOf: url),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return json
    }
}
