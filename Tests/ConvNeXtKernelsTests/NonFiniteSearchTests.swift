import Testing
@testable import ConvNeXtKernels

@Suite struct NonFiniteSearchTests {
    @Test func findsTheFirstNonFiniteValueAnywhere() {
        for count in [0, 1, 5, 16, 17, 63, 100] {
            let clean = (0..<count).map { Float($0) * 1e30 - 3 }
            #expect(clean.withUnsafeBufferPointer(firstNonFiniteIndex) == nil)
            for position in Set([0, count / 2, count - 1]) where position >= 0 && position < count {
                for bad: Float in [.nan, .infinity, -.infinity, .signalingNaN] {
                    var values = clean
                    values[position] = bad
                    if position + 1 < count { values[count - 1] = .nan }
                    #expect(values.withUnsafeBufferPointer(firstNonFiniteIndex) == position, "\(count) values, \(bad) at \(position)")
                }
            }
        }
        #expect([Float.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude].withUnsafeBufferPointer(firstNonFiniteIndex) == nil)
    }
}
