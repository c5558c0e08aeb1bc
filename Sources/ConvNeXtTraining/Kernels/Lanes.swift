// The vector type the training kernels compute with, chosen like ConvNeXtKernels' (Package.swift's
// `CONVNEXT_SIMD`): that module keeps its vector type internal, so this one mirrors it.

#if CONVNEXT_VECTOR16
typealias Lanes = SIMD16<Float>
#elseif CONVNEXT_VECTOR8
typealias Lanes = SIMD8<Float>
#else
typealias Lanes = SIMD4<Float>
#endif

/// Lanes in a ``Lanes`` vector.
let laneCount = Lanes.scalarCount

extension Lanes {
    /// Loads a vector from `pointer`, which need not be aligned.
    @inline(__always)
    static func load(_ pointer: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    /// Stores the vector at `pointer`, which need not be aligned.
    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: Lanes.self)
    }

    /// `a·b + self`, fused where the target has fused multiply-add (without it, `addingProduct`
    /// is a scalar library call per lane).
    @inline(__always)
    func adding(_ a: Lanes, times b: Lanes) -> Lanes {
        #if CONVNEXT_FMA || arch(arm64)
        return addingProduct(a, b)
        #else
        return a * b + self
        #endif
    }
}
