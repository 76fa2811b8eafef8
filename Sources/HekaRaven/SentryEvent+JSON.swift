import HekaClient

extension SentryEvent {
    /// Appends the event's JSON, with `settings`' sanitising and string and list limits
    /// applied: the raven 3.x keys, then the modern `exception.values[]` form.
    ///
    /// Returns where the stack section lies in `out`: from the comma before
    /// `"sentry.interfaces.Stacktrace"` to the end of the modern form's `mechanism`. Its
    /// bytes depend on the stack alone (and the string limit), never on the capture, so
    /// that the section can be compressed once per stack (``CapturedStack``).
    @discardableResult
    func writeJSON(settings: RavenPlugin, dsn: SentryDSN?, to out: inout [UInt8]) -> Range<Int> {
        let limit = Limiter(settings: settings)
        let sanitized = { (key: String?, value: EventValue) -> JSONValue in
            limit.json(settings.sanitize ? Sanitizer.sanitize(value, key: key) : value)
        }
        let frames = stacktraceFrames(limit)
        let stacktrace = { (object: inout JSONObjectWriter) in
            object.raw("frames", frames)
            if let omitted {
                object.member("frames_omitted") { out in
                    JSONValue.array([.integer(omitted.after), .integer(omitted.after + omitted.count)]).write(to: &out)
                }
            }
        }
        let exception = { (object: inout JSONObjectWriter) in
            object.string("type", limit.cut(errorType ?? "Message"))
            object.value("value", sanitized(nil, .string(errorValue ?? text)))
            if let errorModule { object.string("module", errorModule) }
        }
        var section = 0..<0
        JSONObjectWriter.write(to: &out) { event in
            event.string("event_id", eventID)
            event.value("message", sanitized(nil, .string(message)))
            if let culprit { event.string("culprit", limit.cut(culprit)) }
            event.string("checksum", checksum)
            event.integer("level", level)
            event.string("timestamp", timestamp)
            event.string("server_name", serverName)
            event.string("logger", logger)
            if let project = dsn?.projectID { event.string("project", project) }
            event.string("platform", "other")
            event.object("sdk") {
                $0.string("name", "heka-swift")
                $0.string("version", RavenPlugin.sdkVersion)
            }
            event.object("modules") { modules in
                for module in self.modules { modules.string(module, "") }
            }
            event.object("tags") { object in
                for (key, value) in tags { object.value(key, sanitized(key, .string(value))) }
            }
            event.object("extra") { object in
                object.value("msg", sanitized("msg", .string(text)))
                for (key, value) in extra where key != "msg" { object.value(key, sanitized(key, value)) }
                if !trimmed.isEmpty { object.strings("heka_trimmed", trimmed) }
            }
            if let release = settings.release { event.string("release", release) }
            if let environment = settings.environment { event.string("environment", environment) }
            event.object("sentry.interfaces.Exception", exception)
            let sectionStart = event.count
            event.object("sentry.interfaces.Stacktrace", stacktrace)
            event.object("exception") { object in
                object.member("values") { out in
                    out.append(UInt8(ascii: "["))
                    JSONObjectWriter.write(to: &out) { value in
                        value.object("stacktrace", stacktrace)
                        if let crash {
                            crash.writeMechanism(to: &value)
                        } else {
                            value.object("mechanism") {
                                $0.string("type", "generic")
                                $0.bool("handled", true)
                            }
                        }
                        section = sectionStart..<value.count
                        exception(&value)
                    }
                    out.append(UInt8(ascii: "]"))
                }
            }
            crash?.writeInterfaces(to: &event, limit: limit)
        }
        return section
    }

    /// The frames' JSON array: the stack's cached bytes when they still describe these
    /// frames at this limit, else written now.
    private func stacktraceFrames(_ limit: Limiter) -> [UInt8] {
        if let stack, stack.stringMaxLength == limit.stringMaxLength { return stack.framesJSON }
        var bytes: [UInt8] = []
        limit.writeFrames(frames, to: &bytes)
        return bytes
    }
}
