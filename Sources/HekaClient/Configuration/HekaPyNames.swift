/// heka-py's spellings of this project's choices: the Python names that heka-py INI files and
/// dictionaries give, so that they load unchanged.
///
/// This is the only place they are written. The INI and dictionary readers map them (and
/// this project's short names) to typed kinds at the edge, through
/// ``ConfigurationChoice/init(configured:)`` and ``KnownPlugin/init(configured:)``; nothing
/// after the edge compares names. Python names are matched exactly, as Python spells them.
enum HekaPyNames {
    /// `stream_class` (a dictionary's `stream.class`), or `sender_class`. Older heka-py had
    /// senders instead of streams (`heka.senders`: `StdOutSender`, `FileSender`,
    /// `DebugCaptureSender` in `heka.senders.dev`, `UdpSender` in `heka.senders.udp`; no TCP
    /// sender); heka-py-raven's documentation writes `heka.senders.StdOutStream`.
    static let streamClasses: [(choice: StreamConfiguration.Class, names: [String])] = [
        (.stdout, ["heka.streams.StdOutStream", "heka.streams.dev.StdOutStream", "StdOutStream",
                   "heka.senders.StdOutSender", "heka.senders.dev.StdOutSender", "heka.senders.StdOutStream"]),
        (.file, ["heka.streams.FileStream", "heka.streams.dev.FileStream", "FileStream",
                 "heka.senders.FileSender", "heka.senders.dev.FileSender"]),
        (.udp, ["heka.streams.UdpStream", "heka.streams.udp.UdpStream", "UdpStream",
                "heka.senders.UdpSender", "heka.senders.udp.UdpSender"]),
        (.tcp, ["heka.streams.TcpStream", "heka.streams.tcp.TcpStream", "TcpStream"]),
        (.debug, ["heka.streams.DebugCaptureStream", "heka.streams.dev.DebugCaptureStream", "DebugCaptureStream",
                  "heka.senders.DebugCaptureSender", "heka.senders.dev.DebugCaptureSender"]),
    ]

    /// The prefix of the client section's stream keys: `stream_class`, `stream_host`, …;
    /// older heka-py (and metlog) wrote `sender_class`, `sender_host`, … (a section may use
    /// either spelling, not both).
    static let streamKeyPrefixes = (current: "stream_", legacy: "sender_")

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
        // heka-py-raven's name, and the older ones its documentation still shows (metlog's,
        // and heka-py's when the plugin lived in heka-py itself).
        .raven: ["heka_raven.raven_plugin:config_plugin", "heka_raven.raven_plugin.config_plugin",
                 "metlog_raven.raven_plugin:config_plugin", "metlog_raven.raven_plugin.config_plugin",
                 "heka.raven_plugin:config_plugin", "heka.raven_plugin.config_plugin"],
    ]
}
