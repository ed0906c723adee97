// swift-tools-version:6.1
import PackageDescription

/// Settings applied to every Tutti target (see STYLE.md, "Manifest hygiene").
let tuttiSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Linker flags that link the Swift runtime and Foundation into an executable statically (Linux).
/// `-static-stdlib` alone covers the runtime; Foundation's static archives reference each
/// other, so they go in one group (the toolchain's own `swift_static` archives).
/// The link is the toolchain's lld with packed relative relocations (`DT_RELR`, glibc 2.36):
/// gold wrote 3 MB of relocations that the loader reads at every start, and the worker's
/// peak RSS was 2–4 MB higher (docs/delivery.md, "Memory").
let staticSwiftRuntime: [String] =
    ["-static-stdlib", "-use-ld=lld"]
    + ["-z", "pack-relative-relocs"].flatMap { ["-Xlinker", $0] }
    + [
        "--start-group", "-lFoundation", "-lFoundationInternationalization", "-lFoundationEssentials", "-lCoreFoundation",
        "-l_FoundationCShims", "-l_FoundationCollections", "-l_FoundationICU", "-lswiftSynchronization", "--end-group", "-lstdc++",
    ].flatMap { ["-Xlinker", $0] }

let package = Package(
    name: "tutti",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tutti-api", targets: ["tutti-api"]),
        .executable(name: "tutti-scheduler", targets: ["tutti-scheduler"]),
        .executable(name: "tutti-worker", targets: ["tutti-worker"]),
        .executable(name: "tutti", targets: ["tutti"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // X.509 parsing of the certificates Amazon SNS signs its messages with (SES receipts);
        // already in the graph through swift-nio-extras, named here because TuttiConnectors imports it.
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        // Its ASN.1 layer: Certificate(pemEncoded:) is declared there.
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // C shim: typed wrappers over libcurl's variadic setopt/getinfo.
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(
            name: "Curl",
            dependencies: ["CCurl"],
            swiftSettings: tuttiSettings
        ),
        .target(
            name: "TuttiDomain",
            swiftSettings: tuttiSettings
        ),
        // Gateways: pure mapping of a delivery to a request and of a response to an outcome,
        // plus the send through the shared libcurl transport. Never imports the store.
        .target(
            name: "TuttiConnectors",
            dependencies: [
                "Curl", "TuttiDomain",
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA PKCS#1 v1.5 verification of SNS signatures (SHA1withRSA and SHA256withRSA).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: tuttiSettings
        ),
        // The PostgreSQL work queue: its types, and the SQL that enqueues (in the caller's
        // transaction), claims, completes, fails, postpones and rescues jobs under leases.
        .target(
            name: "TuttiQueue",
            dependencies: [
                "TuttiDomain",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: tuttiSettings
        ),
        .target(
            name: "TuttiStore",
            dependencies: [
                "TuttiDomain",
                "TuttiQueue",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Only for ConnectionPoolError, which PostgresClient throws when the server
                // cannot be reached (StoreError classifies it as unavailable).
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            resources: [],
            swiftSettings: tuttiSettings
        ),
        .target(
            name: "TuttiRuntime",
            dependencies: [
                "TuttiDomain",
                "TuttiQueue",
                "TuttiStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: tuttiSettings
        ),
        .target(
            name: "TuttiAPI",
            dependencies: [
                "TuttiDomain",
                "TuttiQueue",
                "TuttiStore",
                "TuttiRuntime",
                "TuttiConnectors",
                "TuttiTemplates",
                "Curl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.json")],
            swiftSettings: tuttiSettings
        ),
        .target(
            name: "TuttiScheduler",
            dependencies: ["TuttiRuntime", "TuttiQueue", "TuttiStore"],
            swiftSettings: tuttiSettings
        ),
        .target(
            name: "TuttiWorker",
            dependencies: [
                "TuttiRuntime", "TuttiQueue", "TuttiStore", "TuttiDomain", "TuttiConnectors", "TuttiTemplates", "Curl",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: tuttiSettings
        ),
        .target(
            name: "TuttiCLI",
            dependencies: [
                "TuttiDomain",
                "TuttiQueue",
                "TuttiStore",
                "TuttiRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: tuttiSettings
        ),
        .executableTarget(name: "tutti-api", dependencies: ["TuttiAPI", "TuttiRuntime"], swiftSettings: tuttiSettings),
        .executableTarget(name: "tutti-scheduler", dependencies: ["TuttiScheduler", "TuttiRuntime"], swiftSettings: tuttiSettings),
        // The worker's allocator: jemalloc with its options (Sources/CAllocator/allocator.c).
        .target(name: "CAllocator", linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]),
        // Links the Swift runtime and Foundation statically: their code is then bound at link
        // time instead of through the dynamic loader's tables, and only the pages in use are
        // loaded (docs/delivery.md, "Memory").
        .executableTarget(
            name: "tutti-worker", dependencies: ["TuttiWorker", "TuttiRuntime", "CAllocator"], swiftSettings: tuttiSettings,
            linkerSettings: [.unsafeFlags(staticSwiftRuntime, .when(platforms: [.linux]))]),
        // The in-memory rule evaluator's benchmark (ops/bench-rules-eval); TuttiDomain only.
        .executableTarget(name: "tutti-bench-rules", dependencies: ["TuttiDomain"], swiftSettings: tuttiSettings),
        .executableTarget(
            name: "tutti",
            dependencies: [
                "TuttiCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: tuttiSettings),
        .target(
            name: "TuttiTestSupport",
            dependencies: [
                "TuttiDomain", "TuttiStore", "TuttiRuntime",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TuttiTestSupport",
            swiftSettings: tuttiSettings
        ),
        // Template rendering: Mustache over the domain's template model. A target of its own because
        // TuttiDomain imports Foundation only; the model, locale fallback and SMS segments stay there.
        .target(
            name: "TuttiTemplates",
            dependencies: ["TuttiDomain", .product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: tuttiSettings
        ),
        .testTarget(
            name: "TuttiTemplatesTests",
            dependencies: ["TuttiTemplates", "TuttiDomain"],
            swiftSettings: tuttiSettings
        ),
        .testTarget(
            name: "TuttiDomainTests",
            dependencies: ["TuttiDomain"],
            swiftSettings: tuttiSettings
        ),
        .testTarget(
            name: "CurlTests",
            dependencies: ["Curl", "GatewayStandIns"],
            swiftSettings: tuttiSettings
        ),
        // Real peers for gateway tests: Python servers (recording HTTP, aiosmtpd, moto) run
        // from the interpreter ops/test exports as TUTTI_TEST_PYTHON.
        .target(
            name: "GatewayStandIns",
            dependencies: ["Curl"],
            path: "Tests/GatewayStandIns",
            swiftSettings: tuttiSettings
        ),
        .testTarget(
            name: "TuttiConnectorsTests",
            dependencies: [
                "TuttiConnectors", "TuttiDomain", "Curl", "GatewayStandIns",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: tuttiSettings
        ),
        .testTarget(
            name: "TuttiStoreTests",
            dependencies: [
                "TuttiStore", "TuttiQueue", "TuttiRuntime", "TuttiTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: tuttiSettings
        ),
        .testTarget(
            name: "TuttiAPITests",
            dependencies: [
                "TuttiAPI", "TuttiRuntime", "TuttiQueue", "TuttiStore", "TuttiTestSupport", "GatewayStandIns",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: tuttiSettings
        ),
        // The worker's decisions, without a database or a gateway.
        .testTarget(
            name: "TuttiWorkerTests",
            dependencies: ["TuttiWorker", "TuttiQueue", "TuttiStore", "TuttiDomain"],
            swiftSettings: tuttiSettings
        ),
        .testTarget(
            name: "TuttiProcessTests",
            dependencies: [
                "TuttiTestSupport", "TuttiRuntime", "TuttiQueue", "TuttiStore", "TuttiDomain", "GatewayStandIns",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: tuttiSettings
        ),
    ]
)
