import SkyClient
import SkyCore
import Testing

@Suite struct SpecDocumentTests {
    @Test func yamlScalarsKeepTheirTypesAndQuotedOnesStayStrings() throws {
        let document = try SpecDocument.parse("""
            durationSeconds: 1.5
            count: 3
            enabled: true
            nothing: null
            name: "123"
            label: plain text
            list: [1, two]
            nested:
              key: value
            """)
        #expect(document == .object([
            "durationSeconds": .number(1.5), "count": .number(3), "enabled": .bool(true), "nothing": .null,
            "name": .string("123"), "label": .string("plain text"), "list": .array([.number(1), .string("two")]),
            "nested": .object(["key": .string("value")]),
        ]))
    }

    @Test func jsonIsReadAsWell() throws {
        #expect(try SpecDocument.parse(#"{"a": [1, {"b": false}], "c": "d"}"#)
            == .object(["a": .array([.number(1), .object(["b": .bool(false)])]), "c": .string("d")]))
    }

    @Test func malformedYAMLIsAnError() {
        #expect(throws: (any Error).self) { try SpecDocument.parse("a: [1, 2") }
    }
}
