/// heka-py's spellings of this project's choices: the Python names that heka-py INI files and
/// dictionaries give, so that they load unchanged.
///
/// This is the only place they are written. The INI and dictionary readers map them (and
/// this project's short names) to typed kinds at the edge; nothing after the edge compares
/// names. Python names are matched exactly, as Python spells them.
enum HekaPyNames {
    /// `provider` of a `[heka_plugin_*]` section naming one of this project's plugins.
    static let plugins: [KnownPlugin: [String]] = [
        .raven: ["heka_raven.raven_plugin:config_plugin", "heka_raven.raven_plugin.config_plugin"],
    ]
}
