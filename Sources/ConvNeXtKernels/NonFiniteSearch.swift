/// The index of the first NaN or infinity in `values`, or nil when every value is finite.
///
/// A value is non-finite when all its exponent bits are set; whole vectors are tested at once
/// and only a vector that has one is searched, so a clean buffer costs about one pass of loads.
public func firstNonFiniteIndex(_ values: UnsafeBufferPointer<Float>) -> Int? {
    guard let base = values.baseAddress else { return nil }
    let exponent = IntVector(repeating: 0x7F80_0000)
    let raw = UnsafeRawPointer(base)
    let count = values.count
    var i = 0
    while i &+ vectorLanes <= count {
        let bits = raw.loadUnaligned(fromByteOffset: i &* 4, as: IntVector.self)
        if any((bits & exponent) .== exponent) { break }
        i &+= vectorLanes
    }
    while i < count {
        if !base[i].isFinite { return i }
        i &+= 1
    }
    return nil
}
