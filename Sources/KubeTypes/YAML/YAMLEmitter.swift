import CYAML

/// Writes a `JSONValue` as one block-style YAML document through libyaml's emitter, set up as Yams' `serialize`
/// was (indent 2, no line folding, printable non-ASCII written as is, keys in the given order), so the text is
/// the one Swiftlet wrote before it dropped Yams.
///
/// Which style a string gets is decided here for the strings a reader would take for another type (quoted) and
/// for multi-line ones (literal, when libyaml can write them so); libyaml picks the style of the others and falls
/// back to quoting whatever its plain or literal style cannot carry, so every string reads back unchanged.
enum YAMLEmitter {
    /// The YAML text of `value`. Throws `EncodingError` if libyaml refuses (it runs out of memory, or a string
    /// is longer than its `int` length).
    static func text(for value: JSONValue) throws -> String {
        let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { emitter.deallocate() }
        guard yaml_emitter_initialize(emitter) == 1 else { throw failure(value, "libyaml ran out of memory") }
        defer { yaml_emitter_delete(emitter) }
        let output = Output()
        yaml_emitter_set_output(emitter, { data, buffer, size in
            guard let data, let buffer else { return 0 }
            Unmanaged<Output>.fromOpaque(data).takeUnretainedValue().bytes
                .append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, Unmanaged.passUnretained(output).toOpaque())
        yaml_emitter_set_encoding(emitter, YAML_UTF8_ENCODING)
        yaml_emitter_set_indent(emitter, 2)
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_unicode(emitter, 1)
        yaml_emitter_set_break(emitter, YAML_LN_BREAK)
        try withExtendedLifetime(output) {
            let writer = Writer(emitter: emitter, value: value)
            try writer.emit { yaml_stream_start_event_initialize(&$0, YAML_UTF8_ENCODING) }
            try writer.emit { yaml_document_start_event_initialize(&$0, nil, nil, nil, 1) }
            try writer.write(value)
            try writer.emit { yaml_document_end_event_initialize(&$0, 1) }
            try writer.emit { yaml_stream_end_event_initialize(&$0) }
        }
        return String(decoding: output.bytes, as: UTF8.self)
    }

    /// Where libyaml's write handler appends the text.
    private final class Output {
        var bytes: [UInt8] = []
    }

    /// Turns the tree into events for one emitter.
    private struct Writer {
        let emitter: UnsafeMutablePointer<yaml_emitter_t>
        /// The whole value, for the error.
        let value: JSONValue

        func write(_ node: JSONValue) throws {
            switch node {
            case .null: try scalar("null", YAML_PLAIN_SCALAR_STYLE)
            case let .bool(b): try scalar(b ? "true" : "false", YAML_PLAIN_SCALAR_STYLE)
            case let .int(i): try scalar(String(i), YAML_PLAIN_SCALAR_STYLE)
            case let .double(d):
                var bytes: [UInt8] = []
                let text = JSONWriter.appendDouble(d, to: &bytes) ? String(decoding: bytes, as: UTF8.self) : "null"
                try scalar(text, YAML_PLAIN_SCALAR_STYLE)
            case let .string(s):
                try scalar(s, YAMLEmitter.style(of: s))
            case let .array(items):
                try emit { yaml_sequence_start_event_initialize(&$0, nil, nil, 1, YAML_ANY_SEQUENCE_STYLE) }
                for item in items { try write(item) }
                try emit { yaml_sequence_end_event_initialize(&$0) }
            case let .object(members):
                try emit { yaml_mapping_start_event_initialize(&$0, nil, nil, 1, YAML_ANY_MAPPING_STYLE) }
                for member in members {
                    try scalar(member.key, YAMLEmitter.style(of: member.key))
                    try write(member.value)
                }
                try emit { yaml_mapping_end_event_initialize(&$0) }
            }
        }

        /// A scalar without a tag: both implicit flags set, so libyaml never writes one.
        private func scalar(_ text: String, _ style: yaml_scalar_style_t) throws {
            // utf8CString keeps NUL characters inside the string and is never empty, so its address is never
            // null (libyaml asserts on that); the length excludes the terminator.
            try text.utf8CString.withUnsafeBytes { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                guard let length = Int32(exactly: bytes.count - 1) else {
                    throw YAMLEmitter.failure(value, "a string of \(bytes.count - 1) bytes is too long for libyaml")
                }
                try emit { yaml_scalar_event_initialize(&$0, nil, nil, bytes.baseAddress, length, 1, 1, style) }
            }
        }

        /// Builds one event with `initialize` (libyaml's `*_event_initialize`, which copies what it is given)
        /// and hands it to the emitter, which takes it over.
        func emit(_ initialize: (inout yaml_event_t) -> Int32) throws {
            var event = yaml_event_t()
            guard initialize(&event) == 1 else { throw YAMLEmitter.failure(value, "libyaml ran out of memory") }
            guard yaml_emitter_emit(emitter, &event) == 1 else {
                let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "out of memory"
                throw YAMLEmitter.failure(value, problem)
            }
        }
    }

    private static func failure(_ value: JSONValue, _ problem: String) -> EncodingError {
        EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "YAML emitter: \(problem)"))
    }

    /// Quotes strings that a YAML reader (core schema here, YAML 1.1 elsewhere) would take for another type.
    private static func style(of s: String) -> yaml_scalar_style_t {
        if case .value(.string) = YAMLConverter.resolvePlain(s) {
            switch s {
            case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "=", "<<":
                return YAML_DOUBLE_QUOTED_SCALAR_STYLE
            default: break
            }
            if let first = s.utf8.first, (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: ".")
                || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
                return YAML_DOUBLE_QUOTED_SCALAR_STYLE
            }
            if s.contains("\n") { return YAML_LITERAL_SCALAR_STYLE }
            return YAML_ANY_SCALAR_STYLE
        }
        return YAML_DOUBLE_QUOTED_SCALAR_STYLE
    }
}
