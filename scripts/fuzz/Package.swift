// swift-tools-version:6.2
// The libFuzzer build of Paperboy's parsers: a package of its own, without dependencies, whose
// targets are the project's own sources (symbolic links into ../../Sources), so that fuzzing
// builds in seconds and never touches the main build. Only the files the harnesses need are
// linked of PaperboyMail (the SMTP reply reader) and PaperboyWeb (the safe Markdown renderer).
// Built by run.sh with `swift build -c debug -Xswiftc -sanitize=fuzzer,address`.
import PackageDescription

let testable: [SwiftSetting] = [.unsafeFlags(["-enable-testing"])]

let package = Package(
    name: "paperboy-fuzz",
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib"),
        .target(name: "PaperboyModel", swiftSettings: testable),
        .target(
            name: "PaperboySearch", dependencies: ["CZlib"],
            swiftSettings: testable + [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "PaperboyParsers", dependencies: ["PaperboyModel", "CZlib"], swiftSettings: testable),
        .target(name: "PaperboyMail", swiftSettings: testable),
        .target(name: "PaperboyWeb", dependencies: ["PaperboySearch"], swiftSettings: testable),
        .executableTarget(
            name: "PaperboyFuzz",
            dependencies: ["PaperboyModel", "PaperboySearch", "PaperboyParsers", "PaperboyMail", "PaperboyWeb"]),
    ]
)
