import Testing

@Test func placeholderConvNeXtTests() { #expect(Bool(true)) }
