import Testing

@testable import HekaClient

/// Every name of ``HekaPyNames`` and every short name reads as its kind, and the short name
/// is what a configuration prints back.
@Suite struct ConfigurationNamesTests {
    @Test("each stream class name, heka-py's and the short one in any case, reads as its class",
          arguments: HekaPyNames.streamClasses)
    func streamClasses(streamClass: StreamConfiguration.Class, names: [String]) {
        for name in names + [streamClass.rawValue, streamClass.rawValue.uppercased(), " \(names[0]) "] {
            #expect(StreamConfiguration.Class(configured: name) == streamClass, "\(name)")
        }
        #expect(StreamConfiguration.Class(configured: names[0].lowercased()) == nil)
    }

    @Test("each encoder name reads as its encoder; automatic is no name", arguments: HekaPyNames.encoders)
    func encoders(kind: EncoderConfiguration.Kind, names: [String]) {
        for name in names + [kind.rawValue, kind.rawValue.uppercased()] {
            #expect(EncoderConfiguration.Kind(configured: name) == kind, "\(name)")
        }
        #expect(EncoderConfiguration.Kind(configured: "automatic") == nil)
    }

    @Test("each filter provider name reads as its provider, and prints as the short one",
          arguments: HekaPyNames.filterProviders)
    func filterProviders(provider: FilterConfiguration.Provider, names: [String]) throws {
        for name in names + [provider.rawValue] {
            #expect(FilterConfiguration.Provider(configured: name) == provider, "\(name)")
        }
        let keys: String =
            switch provider {
            case .severityMax: "severity = 3"
            case .typeSeverityMax: "types = a:3"
            case .typeBlacklist, .typeWhitelist: "types = a"
            }
        let configuration = try load("[heka]\n[heka_filter_x]\nprovider = \(names[0])\n\(keys)\n")
        #expect(configuration.filters.map(\.provider) == [provider.rawValue])
    }
}
