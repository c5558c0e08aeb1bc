// swift-tools-version:6.0
import PackageDescription

// Vector code generation. The default build is portable (any x86-64 or arm64 CPU).
// `CONVNEXT_SIMD=avx2` or `CONVNEXT_SIMD=avx512` builds kernels for those instruction
// sets (fused multiply-add, 8- or 16-lane vectors). Those builds use unsafe compiler
// flags, so they are meant for building this package as the root (the CLI, benchmarks);
// a package that depends on swift-convnext gets the portable build.
let simdLevel = Context.environment["CONVNEXT_SIMD"] ?? ""
let vectorSettings: [SwiftSetting]
switch simdLevel {
case "avx512":
    vectorSettings = [.unsafeFlags(["-target-cpu", "skylake-avx512"]), .define("CONVNEXT_FMA"), .define("CONVNEXT_VECTOR16")]
case "avx2":
    vectorSettings = [.unsafeFlags(["-target-cpu", "haswell"]), .define("CONVNEXT_FMA"), .define("CONVNEXT_VECTOR8")]
default:
    vectorSettings = []
}

let package = Package(
    name: "swift-convnext",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ConvNeXt", targets: ["ConvNeXt"]),
        .library(name: "SafeTensors", targets: ["SafeTensors"]),
        .library(name: "ConvNeXtKernels", targets: ["ConvNeXtKernels"]),
        .library(name: "ConvNeXtImages", targets: ["ConvNeXtImages"]),
        .library(name: "ConvNeXtTraining", targets: ["ConvNeXtTraining"]),
        .executable(name: "convnext", targets: ["convnext"]),
        .executable(name: "convnext-fuzz", targets: ["ConvNeXtFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Software prefetch, which Swift cannot express (an inline C function, see its header).
        .target(name: "CPrefetch"),
        .target(name: "ConvNeXtKernels", dependencies: ["CPrefetch"], swiftSettings: vectorSettings),
        .target(name: "SafeTensors", dependencies: ["ConvNeXtKernels"], swiftSettings: vectorSettings),
        .target(name: "ConvNeXt", dependencies: ["ConvNeXtKernels", "SafeTensors"], swiftSettings: vectorSettings),
        .systemLibrary(name: "CJPEG", providers: [.apt(["libjpeg62-turbo-dev"]), .brew(["jpeg-turbo"])]),
        .systemLibrary(name: "CPNG", providers: [.apt(["libpng-dev", "zlib1g-dev"]), .brew(["libpng"])]),
        // setjmp-protected decode calls: libjpeg and libpng report errors by longjmp. C code
        // includes the headers rather than importing the modules, so it links them explicitly.
        .target(
            name: "CImageCodecs",
            dependencies: ["CJPEG", "CPNG"],
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("png16"), .linkedLibrary("z")]
        ),
        .target(
            name: "ConvNeXtImages",
            dependencies: ["ConvNeXt", "ConvNeXtKernels", "CImageCodecs"],
            swiftSettings: vectorSettings
        ),
        .target(
            name: "ConvNeXtTraining",
            dependencies: ["ConvNeXt", "ConvNeXtKernels", "ConvNeXtImages", "SafeTensors"],
            swiftSettings: vectorSettings
        ),
        .executableTarget(
            name: "convnext",
            dependencies: [
                "ConvNeXt", "ConvNeXtImages", "ConvNeXtTraining", "SafeTensors",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.copy("Resources/DigitsModel")],
            swiftSettings: vectorSettings
        ),
        // Fuzz targets; scripts/fuzz.sh builds them with libFuzzer, the plain build replays inputs.
        .executableTarget(name: "ConvNeXtFuzz", dependencies: ["ConvNeXt", "ConvNeXtImages", "SafeTensors", "ConvNeXtKernels"]),
        .testTarget(name: "ConvNeXtKernelsTests", dependencies: ["ConvNeXtKernels"]),
        .testTarget(name: "SafeTensorsTests", dependencies: ["SafeTensors"]),
        .testTarget(name: "ConvNeXtTrainingTests", dependencies: ["ConvNeXtTraining", "ConvNeXt", "SafeTensors"]),
        .testTarget(name: "ConvNeXtImagesTests", dependencies: ["ConvNeXtImages", "ConvNeXt", "SafeTensors"]),
        .testTarget(name: "ConvNeXtFuzzTests", dependencies: ["ConvNeXtFuzz"]),
        .testTarget(
            name: "ConvNeXtTests",
            dependencies: ["ConvNeXt", "SafeTensors", "convnext"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
