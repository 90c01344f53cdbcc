import SkyCore
import SkyData
import Testing

@Suite struct PrimitivesTests {
    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256.hex("".utf8) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc".utf8) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var chunked = SHA256()
        for _ in 0..<1000 { chunked.update(Array("a".utf8) + Array(repeating: UInt8(ascii: "a"), count: 999)) }
        #expect(chunked.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func splitMix64MatchesTheReferenceSequence() {
        var rng = SplitMix64(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func boundedDrawsStayInRangeAndChooseIsDistinct() {
        var rng = SplitMix64(seed: 9)
        for bound in 1...50 { #expect((0..<bound).contains(rng.below(bound))) }
        let chosen = rng.choose(30, from: 100)
        #expect(Set(chosen).count == 30 && chosen == chosen.sorted() && chosen.allSatisfy { $0 < 100 })
    }

    @Test func questionKeysIgnoreCaseWhitespaceAndTheInstruction() {
        #expect(QuestionKey.key("Return your final response within \\boxed{}. What is  1+1?") == QuestionKey.key("what is 1+1?"))
        #expect(QuestionKey.key("What is 1+1?") != QuestionKey.key("What is 1+2?"))
    }
}
