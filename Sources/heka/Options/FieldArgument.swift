import ArgumentParser
import HekaClient

/// `--field NAME=VALUE`: one field of a message, typed by the INI rules (an integer, a
/// bool word such as `true` or `off`, else a string); `NAME:=VALUE` keeps the value a
/// string, and `NAME:TYPE=VALUE` names the type: `string`, `int`, `double`, `bool` or
/// `bytes` (hex). Repeating a name adds values to one field.
struct FieldArgument: ExpressibleByArgument {
    var name = ""
    var value: FieldValue = .strings([])
    /// Why the argument is malformed, if it is.
    var problem: String?

    init(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else {
            problem = "--field \(argument): expected NAME=VALUE"
            return
        }
        var name = argument[..<equals]
        let text = String(argument[argument.index(after: equals)...])
        var typeName: Substring?
        if let colon = name.lastIndex(of: ":") {
            typeName = name[name.index(after: colon)...]
            name = name[..<colon]
        }
        guard !name.isEmpty else {
            problem = "--field \(argument): the field name is empty"
            return
        }
        self.name = String(name)
        switch Self.value(of: text, typeName: typeName) {
        case .success(let value): self.value = value
        case .failure(let why): problem = "--field \(argument): \(why.text)"
        }
    }

    private struct Problem: Error {
        var text: String
    }

    /// The typed value of `text`: by the INI rules, or as `typeName` says.
    private static func value(of text: String, typeName: Substring?) -> Result<FieldValue, Problem> {
        switch typeName?.lowercased() {
        case nil:
            switch ConfigurationValue(typing: text) {
            case .integer(let number): return .success(FieldValue(number))
            case .bool(let flag): return .success(FieldValue(flag))
            default: return .success(FieldValue(text))
            }
        case "", "string", "str": return .success(FieldValue(text))
        case "int", "integer":
            guard let number = Int64(text) else { return .failure(Problem(text: "\(text.debugDescription) is not an integer")) }
            return .success(FieldValue(number))
        case "double", "float":
            guard let number = Double(text) else { return .failure(Problem(text: "\(text.debugDescription) is not a number")) }
            return .success(FieldValue(number))
        case "bool":
            guard case .bool(let flag) = ConfigurationValue(typing: text) else {
                return .failure(Problem(text: "\(text.debugDescription) is not true/false, yes/no or on/off"))
            }
            return .success(FieldValue(flag))
        case "bytes":
            guard let bytes = hexBytes(text) else { return .failure(Problem(text: "bytes are written in hex, as 00ff")) }
            return .success(FieldValue(bytes: bytes))
        case let other?:
            return .failure(Problem(text: "unknown type \(other) (string, int, double, bool or bytes)"))
        }
    }

    static var defaultCompletionKind: CompletionKind { .default }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }

    /// The fields of several arguments, in the order first named; a repeated name adds its
    /// values to the field (they must be of one type; integers and doubles make doubles).
    static func fields(_ arguments: [FieldArgument]) throws -> [Field] {
        var fields: [Field] = []
        for argument in arguments {
            if let problem = argument.problem { throw ValidationError(problem) }
            guard let index = fields.firstIndex(where: { $0.name == argument.name }) else {
                fields.append(Field(name: argument.name, value: argument.value))
                continue
            }
            let types: Set = [fields[index].value.valueType, argument.value.valueType]
            guard types.count == 1 || types == [.integer, .double] else {
                throw ValidationError("--field \(argument.name): a repeated field takes values of one type; "
                    + "it has \(fields[index].value.valueType) and \(argument.value.valueType)")
            }
            fields[index].value = FieldValue(joining: [fields[index].value, argument.value])
        }
        return fields
    }
}
