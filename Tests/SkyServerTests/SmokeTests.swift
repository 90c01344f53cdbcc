import Testing

@Suite struct PlaceholderServerTests {
    @Test func placeholder() {}
}
