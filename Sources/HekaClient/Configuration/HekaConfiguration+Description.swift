extension HekaConfiguration {
    /// One line for logs and debuggers, without secrets: the section, logger, severity,
    /// stream, encoder, and the filters, plugins and HMAC signer by name. ``iniText()``
    /// gives the whole configuration.
    ///
    /// `[heka] logger=shop severity=informational stream=udp host=127.0.0.1 port=5565 …`
    public var description: String {
        var parts = ["[\(section)]", "logger=\(logger.replacingNewlines)", "severity=\(severity)", "stream=\(stream)",
                     "encoder=\(encoder)"]
        if severityThreshold != .debug { parts.append("severity_threshold=\(severityThreshold)") }
        if !disabledTimers.isEmpty { parts.append("disabled_timers=" + disabledTimers.joined(separator: ",")) }
        if !filters.isEmpty { parts.append("filters=" + filters.map(\.provider).joined(separator: ",")) }
        if !plugins.isEmpty { parts.append("plugins=" + plugins.map(\.name).joined(separator: ",")) }
        if let hmac { parts.append("hmac=\(hmac.signer):\(hmac.keyVersion):\(hmac.hashFunction)") }
        return parts.joined(separator: " ")
    }

    /// The configuration as INI text that loads back (with ``init(iniText:section:path:environment:registry:)``)
    /// to the same configuration, with secrets masked by `RedactionPolicy`: the HMAC key,
    /// plugin values under keys named like secrets, passwords in URLs (a Sentry DSN's
    /// secret) and card numbers. What `heka config` prints.
    public func iniText() -> String {
        var lines = ["[\(section)]"]
        lines += Self.assignments([
            ("logger", logger), ("severity", String(severity.rawValue)),
            ("severity_threshold", severityThreshold == .debug ? "" : String(severityThreshold.rawValue)),
            ("disabled_timers", disabledTimers.joined(separator: "\n")),
            ("encoder", encoder == .automatic ? "" : encoder.description),
            ("stream_class", stream.className),
        ] + stream.settings.map { ("stream_" + $0.key, $0.value) })
        for (index, filter) in filters.enumerated() {
            lines += ["", "[\(section)_filter_\(index + 1)]"]
            lines += Self.assignments([("provider", filter.provider)] + filter.settings, keepingEmpty: true)
        }
        var labels: Set<String> = []
        for plugin in plugins {
            // The label only has to be unique: two sections may bind one name (the later
            // with override), and a repeated header would merge them when loaded.
            var label = "\(section)_plugin_\(plugin.name)"
            var number = 1
            while labels.contains(label) {
                number += 1
                label = "\(section)_plugin_\(plugin.name)_\(number)"
            }
            labels.insert(label)
            lines += ["", "[\(label)]"]
            var settings = [("provider", plugin.provider)]
            if plugin.override {
                settings.append(("override", plugin.name == type(of: plugin.plugin).pluginName ? "true" : plugin.name))
            }
            for entry in plugin.arguments.entries {
                let written = entry.text ?? entry.value.description
                settings.append((entry.key, RedactionPolicy.redacted(written, key: entry.key)))
            }
            lines += Self.assignments(settings, keepingEmpty: true)
        }
        if let hmac {
            lines += ["", "[\(section)_hmac]"]
            lines += Self.assignments([
                ("signer", hmac.signer), ("key_version", String(hmac.keyVersion)),
                ("hash_function", hmac.hashFunction.description), ("key", RedactionPolicy.mask),
            ])
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `key = value` lines; a value of several lines continues on indented lines. An empty
    /// value is left out (the default), or kept as `key =` where it was given and means
    /// something to a filter or plugin.
    private static func assignments(_ settings: [(String, String)], keepingEmpty: Bool = false) -> [String] {
        settings.filter { keepingEmpty || !$1.isEmpty }.map { key, written in
            if written.isEmpty { return "\(key) =" }
            // `%` is written `%%`, which the INI reader's interpolation reads back as `%`.
            let value = written.replacingOccurrences(of: "%", with: "%%")
            let parts = value.split(separator: "\n", omittingEmptySubsequences: false)
            // A `;` after a space starts a comment, and so does a continuation line that
            // starts with `;` or `#`: such a first part goes straight after the `=`.
            let first = parts[0]
            if first.hasPrefix(";") || (parts.count > 1 && first.hasPrefix("#")) {
                return (["\(key) =\(first)"] + parts.dropFirst().map { "    \($0)" }).joined(separator: "\n")
            }
            return parts.count == 1 ? "\(key) = \(value)" : "\(key) =\n" + parts.map { "    \($0)" }.joined(separator: "\n")
        }
    }

}
