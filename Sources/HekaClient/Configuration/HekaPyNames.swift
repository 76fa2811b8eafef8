/// heka-py's spellings of this project's choices: the Python names that heka-py INI files and
/// dictionaries give, so that they load unchanged.
///
/// This is the only place they are written. The INI and dictionary readers map them (and
/// this project's short names) to typed kinds at the edge, through
/// ``ConfigurationChoice/init(configured:)`` and ``KnownPlugin/init(configured:)``; nothing
/// after the edge compares names. Python names are matched exactly, as Python spells them.
enum HekaPyNames {
    /// `stream_class` (a dictionary's `stream.class`).
    static let streamClasses: [(choice: StreamConfiguration.Class, names: [String])] = [
        (.stdout, ["heka.streams.StdOutStream", "heka.streams.dev.StdOutStream", "StdOutStream"]),
        (.file, ["heka.streams.FileStream", "heka.streams.dev.FileStream", "FileStream"]),
        (.udp, ["heka.streams.UdpStream", "heka.streams.udp.UdpStream", "UdpStream"]),
        (.tcp, ["heka.streams.TcpStream", "heka.streams.tcp.TcpStream", "TcpStream"]),
        (.debug, ["heka.streams.DebugCaptureStream", "heka.streams.dev.DebugCaptureStream", "DebugCaptureStream"]),
    ]

    /// `encoder`.
    static let encoders: [(choice: EncoderConfiguration.Kind, names: [String])] = [
        (.protobuf, ["heka.encoders.ProtobufEncoder", "ProtobufEncoder"]),
        (.jsonLines, ["heka.encoders.JSONEncoder", "JSONLinesEncoder", "JSONEncoder"]),
    ]

    /// `provider` of a `[heka_filter_*]` section (a dictionary's `filters` entry).
    static let filterProviders: [(choice: FilterConfiguration.Provider, names: [String])] = [
        (.severityMax, ["heka.filters.severity_max_provider", "heka.filters.severity_max"]),
        (.typeBlacklist, ["heka.filters.type_blacklist_provider", "heka.filters.type_blacklist"]),
        (.typeWhitelist, ["heka.filters.type_whitelist_provider", "heka.filters.type_whitelist"]),
        (.typeSeverityMax, ["heka.filters.type_severity_max_provider", "heka.filters.type_severity_max"]),
    ]

    /// `provider` of a `[heka_plugin_*]` section naming one of this project's plugins.
    static let plugins: [KnownPlugin: [String]] = [
        .raven: ["heka_raven.raven_plugin:config_plugin", "heka_raven.raven_plugin.config_plugin"],
    ]
}
