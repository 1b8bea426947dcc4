import PetalData

/// A registered model: its numbered versions (each the model of one run) and aliases pointing at versions.
public struct RegisteredModel: Sendable {
    public var name: String
    public var versions: [(version: Int, run: Int, created: Double)]
    /// Alias → version, sorted by alias.
    public var aliases: [(alias: String, version: Int)]
}

/// The model registry: `register`, `alias`, `models`, and resolving `NAME@alias` / `NAME/version`.
extension TrackingStore {
    /// Registers run `run`'s model as the next version of `name` (1 for a new name).
    /// - Returns: the version number.
    public func register(_ name: String, run: Int) throws -> Int {
        try requireRun(run)
        return try db.transaction(doing: "cannot register \(name)") {
            try db.run("INSERT OR IGNORE INTO models(name, created) VALUES (?, ?)", [.text(name), .double(clock.now())])
            let version = Int(try db.scalarInt("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model = ?", [.text(name)]) ?? 1)
            try db.run("INSERT INTO model_versions(model, version, run_id, created) VALUES (?, ?, ?, ?)",
                       [.text(name), .int(Int64(version)), .int(Int64(run)), .double(clock.now())])
            return version
        }
    }

    /// Points `name@alias` at `version` (moving it when it pointed elsewhere).
    public func setAlias(_ alias: String, model name: String, version: Int) throws {
        _ = try runID(model: name, version: version)
        try db.transaction(doing: "cannot set the alias \(name)@\(alias)") {
            try db.run("INSERT OR REPLACE INTO model_aliases(model, alias, version) VALUES (?, ?, ?)", [.text(name), .text(alias), .int(Int64(version))])
        }
    }

    /// Every registered model, by name.
    public func models() throws -> [RegisteredModel] {
        var out: [RegisteredModel] = []
        let names = try db.prepare("SELECT name FROM models ORDER BY name")
        while try names.step() { out.append(RegisteredModel(name: names.text(0), versions: [], aliases: [])) }
        let versions = try db.prepare("SELECT model, version, run_id, created FROM model_versions ORDER BY model, version")
        while try versions.step() {
            if let i = out.firstIndex(where: { $0.name == versions.text(0) }) {
                out[i].versions.append((Int(versions.int64(1)), Int(versions.int64(2)), versions.double(3)))
            }
        }
        let aliases = try db.prepare("SELECT model, alias, version FROM model_aliases ORDER BY model, alias")
        while try aliases.step() {
            if let i = out.firstIndex(where: { $0.name == aliases.text(0) }) { out[i].aliases.append((aliases.text(1), Int(aliases.int64(2)))) }
        }
        return out
    }

    /// True when `text` is a registry reference (`NAME@alias` or `NAME/version`) rather than a pipeline name.
    public static func isModelReference(_ text: String) -> Bool {
        if let at = text.firstIndex(of: "@") {
            return at != text.startIndex && text.index(after: at) != text.endIndex && !text.contains("/")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && parts[1].allSatisfy(\.isNumber)
    }

    /// The model, version and run behind `NAME@alias` or `NAME/version`.
    public func resolve(_ reference: String) throws -> (model: String, version: Int, run: Int) {
        if let at = reference.firstIndex(of: "@") {
            let name = String(reference[..<at]), alias = String(reference[reference.index(after: at)...])
            try requireModel(name)
            if alias == "latest", let v = try db.scalarInt("SELECT MAX(version) FROM model_versions WHERE model = ?", [.text(name)]) {
                return (name, Int(v), try runID(model: name, version: Int(v)))
            }
            guard let v = try db.scalarInt("SELECT version FROM model_aliases WHERE model = ? AND alias = ?", [.text(name), .text(alias)]) else {
                let known = try models().first { $0.name == name }?.aliases.map { "@" + $0.alias } ?? []
                throw PetalError("\(name) has no alias \"\(alias)\"",
                                hint: known.isEmpty ? "set one with alias \(name)@\(alias) VERSION (or use \(name)@latest)"
                                    : "aliases: " + known.joined(separator: ", ") + " (and @latest)")
            }
            return (name, Int(v), try runID(model: name, version: Int(v)))
        }
        let parts = reference.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let version = Int(parts[1]) else {
            throw PetalError("\"\(reference)\" is not a model reference", hint: "write NAME@ALIAS (e.g. iris-classifier@champion) or NAME/VERSION (iris-classifier/2)")
        }
        let name = String(parts[0])
        try requireModel(name)
        return (name, version, try runID(model: name, version: version))
    }

    private func runID(model name: String, version: Int) throws -> Int {
        try requireModel(name)
        guard let run = try db.scalarInt("SELECT run_id FROM model_versions WHERE model = ? AND version = ?", [.text(name), .int(Int64(version))]) else {
            let last = try db.scalarInt("SELECT MAX(version) FROM model_versions WHERE model = ?", [.text(name)]) ?? 0
            throw PetalError("\(name) has no version \(version)", hint: "its versions are 1 to \(last); models lists them")
        }
        return Int(run)
    }

    private func requireModel(_ name: String) throws {
        guard try db.scalarText("SELECT name FROM models WHERE name = ?", [.text(name)]) != nil else {
            let names = try models().map(\.name)
            throw PetalError("no registered model called \"\(name)\"",
                            hint: names.isEmpty ? "register one first: register P as NAME" : "models: " + names.joined(separator: ", "))
        }
    }
}
