import Foundation

/// Addresses of data that is not a local file (`https://…`, `postgresql://…`), and keeping the passwords they may
/// carry out of everything Petal writes or shows: history, runs, notebooks, `--json`, messages.
public enum SourceAddress {
    /// True when `text` is an http:// or https:// address.
    public static func isHTTP(_ text: String) -> Bool {
        let lower = text.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// True when `text` is a PostgreSQL address (`postgresql://` or `postgres://`).
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.prefix(13).lowercased()
        return lower.hasPrefix("postgresql://") || lower.hasPrefix("postgres://")
    }

    /// True when `text` names data over a network rather than a file.
    public static func isRemote(_ text: String) -> Bool { isHTTP(text) || isPostgres(text) }

    /// `text` with every password in it removed: the `:password` of any `scheme://user:password@host`, and
    /// `password=…` in a URL's query. Applied to whole command lines, so it finds addresses anywhere in them. The
    /// result is still a working address (without the password), so a recorded `open` can be replayed with the
    /// password from `PGPASSWORD` or `~/.pgpass`.
    public static func redacted(_ text: String) -> String {
        guard text.contains("://") || text.lowercased().contains("password=") else { return text }
        var out = text
        // The user-info ends at the last @ before the host's path: a password may itself contain an (unencoded) @.
        for (pattern, template) in [(#"([A-Za-z][A-Za-z0-9+.\-]*://[^\s/:@"']*):[^\s/"']*@"#, "$1@"),
                                    (#"\?password=[^&\s"']*&"#, "?"), (#"\?password=[^&\s"']*"#, ""),
                                    (#"&password=[^&\s"']*"#, "")] {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
            out = regex.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: template)
        }
        return out
    }

    /// The last part of an address's path without its query (`https://x.org/data/iris.csv?raw=1` → `iris.csv`).
    public static func fileName(_ url: URL) -> String {
        let last = url.lastPathComponent
        return last == "/" ? "" : last
    }
}
