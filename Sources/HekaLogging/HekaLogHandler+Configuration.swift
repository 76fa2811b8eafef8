import HekaClient
import Logging

extension HekaLogHandler {
    /// How a handler turns log calls into messages: their type, the call-site fields, and
    /// whether some calls also send their stack.
    ///
    /// ```swift
    /// var configuration = HekaLogHandler.Configuration.default
    /// configuration.sourceFields = .all            // add the source module and the function
    /// configuration.stackCapture = .errors          // error and critical also go to Sentry
    /// LoggingSystem.bootstrap(HekaLogHandler.factory(client: client, configuration: configuration),
    ///                         metadataProvider: nil)
    /// ```
    public struct Configuration: Sendable, Hashable {
        /// The messages' type; default `oldstyle` (`HekaClient.oldstyleType`), the type
        /// heka-py gave its log lines, which hekad setups filter on.
        public var messageType: String
        /// Which of the call's source, file, function and line are sent, and under which
        /// names; default ``SourceFields/standard`` (`file` and `line`).
        public var sourceFields: SourceFields
        /// When a call also sends its stack through the raven plugin; default
        /// ``StackCapture/never``.
        public var stackCapture: StackCapture

        /// Type `oldstyle`, fields `file` and `line`, no stacks.
        public static let `default` = Configuration()

        /// - Parameters:
        ///   - messageType: the messages' type; default `oldstyle`.
        ///   - sourceFields: the call-site fields; default ``SourceFields/standard``.
        ///   - stackCapture: when a stack is sent too; default ``StackCapture/never``.
        public init(messageType: String = HekaClient.oldstyleType, sourceFields: SourceFields = .standard,
                    stackCapture: StackCapture = .never) {
            self.messageType = messageType
            self.sourceFields = sourceFields
            self.stackCapture = stackCapture
        }
    }
}
