// swift-tools-version:6.2
import PackageDescription

/// One set of settings for every target: Swift 6 language mode plus the upcoming features the
/// Hummingbird codebase uses.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "paperboy",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "paperboy", targets: ["paperboy"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(
            url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Already built for HummingbirdTesting; the harvester's HTTP client.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        // Already built for AsyncHTTPClient; the SMTP client's transport and TLS.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Already built for Hummingbird; the HTTP parts the connection timeouts watch.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // Only its bcrypt (C, no further dependencies).
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        // Already built for Hummingbird; /metrics in Prometheus's text format (small, over it).
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // PostgreSQL for several nodes: its PostgresClient pool, COPY, LISTEN/NOTIFY.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // MARK: Libraries, lowest first.
        .target(name: "PaperboyModel", swiftSettings: swiftSettings),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "PaperboySearch",
            dependencies: ["CZlib"],
            // The engine's hot loops check exclusive access by hand-written discipline (one owner per
            // scorer, immutable segments); the runtime checks cost a third of query time.
            swiftSettings: swiftSettings + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(
            name: "PaperboyEmbed",
            dependencies: ["CBLAS"],
            // Without a target CPU, SIMD8<Float> arithmetic compiles to a library call per lane
            // (../shared/ENVIRONMENT.md); haswell gives AVX2 and FMA. Optimised in debug builds
            // too: unoptimised, the encoder is 40 times slower and a debug `serve` (the tests')
            // would take minutes to embed the demo papers.
            swiftSettings: swiftSettings + [
                .unsafeFlags(["-target-cpu", "haswell"]),
                .unsafeFlags(["-O"], .when(configuration: .debug)),
            ]
        ),
        .target(
            name: "PaperboyParsers",
            dependencies: ["PaperboyModel", "CZlib"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaperboyMail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "PaperboyStore", dependencies: ["PaperboyModel"], swiftSettings: swiftSettings),
        // The maths of "For you" (linear models, diversity), knowing nothing of papers.
        .target(name: "PaperboyLearning", swiftSettings: swiftSettings),
        .target(
            name: "PaperboySecurity",
            dependencies: [.product(name: "HummingbirdBcrypt", package: "hummingbird-auth")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaperboyTesting",
            dependencies: ["PaperboyStore", "PaperboyModel", "PaperboyServices", "PaperboyMail"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaperboySQLite",
            dependencies: [
                "PaperboyStore", "PaperboyModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaperboyPostgres",
            dependencies: [
                "PaperboyStore", "PaperboyModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaperboyHarvester",
            dependencies: [
                "PaperboyModel", "PaperboyStore", "PaperboyParsers",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaperboyServices",
            dependencies: [
                "PaperboyModel", "PaperboyStore", "PaperboySearch", "PaperboyEmbed", "PaperboyParsers",
                "PaperboySecurity", "PaperboyMail",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/demo")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PaperboyWeb",
            dependencies: [
                "PaperboyModel", "PaperboyStore", "PaperboySearch", "PaperboyServices", "PaperboySecurity",
                "PaperboyMail",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/api")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "paperboy",
            dependencies: [
                "PaperboyModel", "PaperboyStore", "PaperboySQLite", "PaperboyPostgres", "PaperboySearch",
                "PaperboyParsers", "PaperboyServices", "PaperboyWeb", "PaperboyHarvester", "PaperboySecurity",
                "PaperboyMail", "PaperboyEmbed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .testTarget(name: "PaperboyModelTests", dependencies: ["PaperboyModel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaperboyMailTests",
            dependencies: [
                "PaperboyMail", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperboyLearningTests", dependencies: ["PaperboyLearning"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaperboySecurityTests", dependencies: ["PaperboySecurity"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PaperboySearchTests",
            dependencies: ["PaperboySearch", "PaperboyTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperboyEmbedTests",
            dependencies: ["PaperboyEmbed", "PaperboyTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperboyParsersTests",
            dependencies: ["PaperboyParsers", "PaperboyModel"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperboyStoreTests",
            dependencies: [
                "PaperboyStore", "PaperboyTesting", "PaperboySQLite", "PaperboyPostgres", "PaperboyModel",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperboyServicesTests",
            dependencies: [
                "PaperboyServices", "PaperboyStore", "PaperboySQLite", "PaperboySearch", "PaperboyModel",
                "PaperboyParsers", "PaperboyTesting", "PaperboyMail", "PaperboyEmbed",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperboyHarvesterTests",
            dependencies: [
                "PaperboyHarvester", "PaperboyStore", "PaperboySQLite", "PaperboyParsers", "PaperboyModel",
                "PaperboyTesting", .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperboyFuzzTests",
            dependencies: ["PaperboyWeb", "PaperboyMail", "PaperboySearch", "PaperboyParsers", "PaperboyModel"],
            exclude: ["README.md"],
            resources: [.copy("Corpus")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PaperboyWebTests",
            dependencies: [
                "PaperboyWeb", "PaperboyServices", "PaperboyStore", "PaperboyModel", "PaperboyHarvester",
                "PaperboyTesting", "PaperboyMail", "PaperboySecurity",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
