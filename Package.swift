// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "gwsh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gwsh", targets: ["gwsh"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // System libraries (pkg-config) and the C shims for what Swift cannot call directly.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "CShims", dependencies: ["CLua", "CEditLine"]),

        // The pure core.
        .target(name: "GatewayModel", dependencies: [.product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Templates", dependencies: ["GatewayModel"]),
        .target(name: "Throttling"),
        .target(name: "Policy", dependencies: ["GatewayModel", .product(name: "Crypto", package: "swift-crypto"),
                                         .product(name: "_CryptoExtras", package: "swift-crypto")]),
        .target(name: "Gateway", dependencies: ["GatewayModel", "Templates", "Throttling", "Policy", .product(name: "Crypto", package: "swift-crypto"),
                                          .product(name: "HeapModule", package: "swift-collections")]),

        // Edges.
        .target(name: "LuaHost", dependencies: ["Gateway", "GatewayModel", "CLua", "CShims"]),
        .target(name: "Sessions"),
        .target(name: "Conformance", dependencies: ["Gateway", "GatewayModel", "Templates"]),
        .target(name: "Shell", dependencies: ["Gateway", "GatewayModel", "LuaHost", "Sessions", "Conformance", "Templates", "CEditLine", "CShims"]),
        .executableTarget(name: "gwsh", dependencies: ["Shell", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

        .testTarget(name: "GatewayModelTests", dependencies: ["GatewayModel"]),
        .testTarget(name: "TemplatesTests", dependencies: ["Templates", "GatewayModel"]),
        .testTarget(name: "ThrottlingTests", dependencies: ["Throttling"]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "GatewayModel"]),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "GatewayModel", "Templates", "Policy"]),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost", "Gateway", "GatewayModel"]),
        .testTarget(name: "SessionsTests", dependencies: ["Sessions"]),
        .testTarget(name: "ConformanceTests", dependencies: ["Conformance", "Gateway", "GatewayModel"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "Sessions", "Gateway", "GatewayModel"]),
    ],
    swiftLanguageModes: [.v6]
)
