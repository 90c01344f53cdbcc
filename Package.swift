// swift-tools-version:6.1
import PackageDescription

/// One strictness setting for every target, as Hummingbird does: existentials say `any`,
/// and every import says whether it is part of the module's public interface.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Sky",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "skyd", targets: ["skyd"]),
        .executable(name: "skyctl", targets: ["skyctl"]),
        .library(name: "SkyCore", targets: ["SkyCore"]),
        .library(name: "SkyStore", targets: ["SkyStore"]),
        .library(name: "SkyWorker", targets: ["SkyWorker"]),
        .library(name: "SkyTensor", targets: ["SkyTensor"]),
        .library(name: "SkyModel", targets: ["SkyModel"]),
        .library(name: "SkyData", targets: ["SkyData"]),
        .library(name: "SkyTrain", targets: ["SkyTrain"]),
        .library(name: "SkyServer", targets: ["SkyServer"]),
        .library(name: "SkyEval", targets: ["SkyEval"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // The range PostgresNIO itself accepts, so both resolve to one copy.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.9.0"..<"6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Domain types only: job kinds, states, typed specs, validation. No I/O.
        .target(name: "SkyCore", swiftSettings: strict),
        // Everything SQL: migrations, the queue, workers, logs, metrics, the embedded PostgreSQL.
        .target(
            name: "SkyStore",
            dependencies: [
                "SkyCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Its ConnectionPoolError is how the pool says "not connecting for now" (DatabaseAvailability).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedMigrations"]
        ),
        .executableTarget(name: "sky-embed-migrations", swiftSettings: strict),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["sky-embed-migrations"]),
        .plugin(name: "EmbedOpenAPI", capability: .buildTool(), dependencies: ["sky-embed-migrations"]),
        // The HTTP control plane: /v1 routes per api/openapi.yaml, auth, problem+json, Prometheus metrics.
        .target(
            name: "SkyServer",
            dependencies: [
                "SkyCore", "SkyStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationEssentialsCompat", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict,
            plugins: ["EmbedOpenAPI"]
        ),
        // The HTTP client skyctl (and tests) use to talk to SkyServer.
        .target(
            name: "SkyClient",
            dependencies: [
                "SkyCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "_NIOFileSystem", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // The generic worker runtime: claim loop, slots, leases, cancellation, shutdown.
        .target(
            name: "SkyWorker",
            dependencies: [
                "SkyCore", "SkyStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        // One executor per job kind, bridging SkyWorker to the ML targets.
        .target(
            name: "SkyJobs",
            dependencies: ["SkyCore", "SkyWorker", "SkyData", "SkyModel", "SkyTensor", "SkyTrain", "SkyEval", "SkyStore"],
            swiftSettings: strict
        ),
        // BLAS through OpenBLAS's cblas.h.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // The few CPU loops that need AVX2 + FMA (bf16 weights), picked at run time; C because Swift targets baseline x86-64.
        .target(name: "CSkyKernels"),
        .target(name: "SkyTensor", dependencies: ["CBLAS", "CSkyKernels"], swiftSettings: strict),
        .target(name: "SkyModel", dependencies: ["SkyTensor", "SkyCore"], swiftSettings: strict),
        .target(name: "SkyData", dependencies: ["SkyCore"], swiftSettings: strict),
        .target(name: "SkyTrain", dependencies: ["SkyModel"], swiftSettings: strict),
        // Benchmarks, prompts, sampling, answer grading, the code sandbox and metrics; no NIO or Postgres, so it builds fast and runs anywhere.
        .target(name: "SkyEval", dependencies: ["SkyCore", "SkyModel"], swiftSettings: strict),
        .executableTarget(
            name: "skyd",
            dependencies: [
                "SkyCore", "SkyStore", "SkyWorker", "SkyJobs", "SkyServer", "SkyClient",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "skyctl",
            dependencies: [
                "SkyCore", "SkyStore", "SkyWorker", "SkyJobs", "SkyData", "SkyModel", "SkyTensor", "SkyTrain", "SkyClient", "SkyEval",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        // Shared test helpers (throwaway PostgreSQL, fixtures), so tests never copy them.
        .target(
            name: "SkyTestSupport",
            dependencies: ["SkyCore", "SkyStore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/SkyTestSupport",
            swiftSettings: strict
        ),
        // Float32 error bounds for the numeric suites: no dependencies, so the ML test targets stay light.
        .target(name: "SkyNumericsTestSupport", path: "Tests/SkyNumericsTestSupport", swiftSettings: strict),
        // A CUDA device in host memory running each kernel's CPU reference: the CUDA backend's host side, tested without a GPU.
        .target(name: "SkyCUDAFake", dependencies: ["SkyTensor", "CBLAS"], path: "Tests/SkyCUDAFake", swiftSettings: strict),
        .testTarget(name: "SkyCoreTests", dependencies: ["SkyCore"], swiftSettings: strict),
        .testTarget(
            name: "SkyStoreTests",
            dependencies: ["SkyStore", "SkyTestSupport", .product(name: "Crypto", package: "swift-crypto"), .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SkyWorkerTests",
            dependencies: ["SkyWorker", "SkyJobs", "SkyTestSupport", "SkyModel", "SkyTensor", "SkyTrain", "SkyData"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SkyServerTests",
            dependencies: [
                "SkyServer", "SkyClient", "SkyStore", "SkyWorker", "SkyJobs", "SkyTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SkyClientTests",
            dependencies: [
                "SkyClient", "SkyServer", "SkyStore", "SkyWorker", "SkyJobs", "SkyTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "SkyTensorTests", dependencies: ["SkyTensor", "SkyNumericsTestSupport", "SkyCUDAFake", "CSkyKernels"], swiftSettings: strict),
        .testTarget(name: "SkyModelTests", dependencies: ["SkyModel", "SkyCore", "SkyNumericsTestSupport", "SkyCUDAFake"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "SkyDataTests", dependencies: ["SkyData", "SkyCore"], swiftSettings: strict),
        // SkyData too: its wrong answers are checked against this grader, the one place both meet without SkyJobs.
        .testTarget(name: "SkyEvalTests", dependencies: ["SkyEval", "SkyCore", "SkyModel", "SkyTensor", "SkyData"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "SkyTrainTests", dependencies: ["SkyTrain", "SkyNumericsTestSupport", "SkyCUDAFake"], resources: [.copy("Fixtures")], swiftSettings: strict),
    ]
)
