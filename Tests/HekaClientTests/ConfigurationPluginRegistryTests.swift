import Testing

@testable import HekaClient

@Suite struct ConfigurationPluginRegistryTests {
    /// What loading a section that names `provider` with `registry` throws.
    func failure(provider: String, registry: PluginRegistry) -> ConfigurationError? {
        #expect(throws: ConfigurationError.self) {
            try HekaConfiguration(iniText: "[heka]\n[heka_plugin_raven]\nprovider = \(provider)\n", path: "app.ini",
                                  environment: [:], registry: registry)
        }
    }

    @Test("an unregistered name of the raven plugin says which line of Swift registers it", arguments: [
        "heka_raven.raven_plugin:config_plugin", "heka_raven.raven_plugin.config_plugin", "raven",
        "HekaRaven.RavenPlugin",
    ])
    func unregisteredRaven(provider: String) {
        let error = failure(provider: provider, registry: PluginRegistry())
        #expect(error?.code == .unknownProvider && error?.key == "provider")
        #expect(error?.description == "app.ini:3: [heka_plugin_raven] provider: unknown plugin provider "
            + "\"\(provider)\"; it is HekaRaven.RavenPlugin, which this program has not registered: call RavenPlugin.register() "
            + "(import HekaRaven) before loading the configuration")
    }

    @Test("a registered plugin answers to its plugin name, its Swift name and its provider names", arguments: [
        "dummy", "HekaClientTests.DummyPlugin", "heka.tests.plugin:config_plugin", "heka.tests.plugin.config_plugin",
    ])
    func registeredNames(provider: String) throws {
        let registry = PluginRegistry([DummyPlugin.self])
        let configuration = try HekaConfiguration(iniText: "[heka]\n[heka_plugin_x]\nprovider = \(provider)\nfoo = 1\n",
                                                  environment: [:], registry: registry)
        #expect(configuration.plugins.map(\.name) == ["dummy"])
        #expect((configuration.plugins.first?.plugin as? DummyPlugin)?.settings["foo"] == .integer(1))
        #expect(failure(provider: provider, registry: PluginRegistry([ExceptionPlugin.self]))?.code == .unknownProvider)
    }

    @Test("registering a type twice keeps one registration and changes no lookup")
    func registeringTwice() throws {
        let registry = PluginRegistry()
        registry.register(DummyPlugin.self)
        registry.register(ExceptionPlugin.self)
        registry.register(DummyPlugin.self)
        #expect(registry.registered.map { String(reflecting: $0) }
                == ["HekaClientTests.DummyPlugin", "HekaClientTests.ExceptionPlugin"])
        let found = { (name: String) in registry.plugin(named: name).map { ObjectIdentifier($0) } }
        #expect(found("dummy") == ObjectIdentifier(DummyPlugin.self))
        #expect(found(" heka.tests.plugin_exception:config_plugin ") == ObjectIdentifier(ExceptionPlugin.self))
        #expect(found("nothing") == nil)
    }
}
