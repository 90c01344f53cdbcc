import SkyClient
import SkyCore
import Testing

@Suite struct JSONOverrideTests {
    @Test func valuesAreJSONWhenTheyParseAndStringsOtherwise() throws {
        #expect(try JSONOverride(parsing: "a=3").value == .number(3))
        #expect(try JSONOverride(parsing: "a=true").value == .bool(true))
        #expect(try JSONOverride(parsing: "a=null").value == .null)
        #expect(try JSONOverride(parsing: "a=[1,\"x\"]").value == .array([.number(1), .string("x")]))
        #expect(try JSONOverride(parsing: "a=\"42\"").value == .string("42"))
        #expect(try JSONOverride(parsing: "a=hello world").value == .string("hello world"))
        #expect(try JSONOverride(parsing: "a=x=y").value == .string("x=y"))
        #expect(try JSONOverride(parsing: "a=").value == .string(""))
    }

    @Test func pathsCreateObjectsAndReplaceExistingFields() throws {
        let spec: JSONValue = .object(["seed": .number(1), "dataset": .object(["path": .string("a.jsonl")])])
        var edited = try JSONOverride(parsing: "seed=7").applied(to: spec)
        edited = try JSONOverride(parsing: "dataset.path=b.jsonl").applied(to: edited)
        edited = try JSONOverride(parsing: "segmenter.kind=reflectionCues").applied(to: edited)
        #expect(edited == .object([
            "seed": .number(7), "dataset": .object(["path": .string("b.jsonl")]),
            "segmenter": .object(["kind": .string("reflectionCues")]),
        ]))
    }

    @Test func numericSegmentsIndexIntoListsAndMayAppendOne() throws {
        let spec: JSONValue = .object(["perturbations": .array([.object(["type": .string("shuffle")])])])
        var edited = try JSONOverride(parsing: "perturbations.0.ratio=0.5").applied(to: spec)
        edited = try JSONOverride(parsing: "perturbations.1.type=delete").applied(to: edited)
        #expect(edited["perturbations"] == .array([
            .object(["type": .string("shuffle"), "ratio": .number(0.5)]), .object(["type": .string("delete")]),
        ]))
        #expect(throws: SpecFileError.self) { try JSONOverride(parsing: "perturbations.5.type=x").applied(to: spec) }
    }

    @Test func malformedOverridesAndSettingInsideAScalarAreRefused() {
        #expect(throws: SpecFileError.self) { try JSONOverride(parsing: "novalue") }
        #expect(throws: SpecFileError.self) { try JSONOverride(parsing: "a..b=1") }
        #expect(throws: SpecFileError.self) { try JSONOverride(parsing: "=1") }
        #expect(throws: SpecFileError.self) { try JSONOverride(parsing: "seed.x=1").applied(to: .object(["seed": .number(1)])) }
    }
}
