// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "course",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "course", targets: ["course"]),
        .library(name: "CourseEngine", targets: ["CourseEngine"]),
        .library(name: "Grading", targets: ["Grading"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.0"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.0"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf", from: "2.4.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // Comes with the gRPC transport (through swift-certificates); the engine's digests use it.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .target(
            name: "CourseEngine",
            dependencies: [
                "CCmark",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "CProcessSupport"),
        .target(
            name: "Grading",
            dependencies: [
                "CourseEngine",
                "CProcessSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "StdioPiece", dependencies: ["Grading", "CourseEngine"]),
        .target(
            name: "UsersAPIPiece",
            dependencies: [
                "CourseEngine",
                "Grading",
                "CachePiece",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "TCPEchoPiece", dependencies: ["Grading", "CourseEngine"]),
        .target(
            name: "CounterPiece",
            dependencies: [
                "Grading",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "CachePiece",
            dependencies: [
                "Grading",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "UserRPCPiece",
            dependencies: [
                "Grading",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "GRPCProtobuf", package: "grpc-swift-protobuf"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Generated/README.md", "Generated/user.proto.sha256"]
        ),
        .target(
            name: "PipelinePiece",
            dependencies: [
                "Grading",
                "CourseEngine",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "course",
            dependencies: [
                "CourseEngine",
                "Grading",
                "StdioPiece",
                "UsersAPIPiece",
                "TCPEchoPiece",
                "CounterPiece",
                "CachePiece",
                "UserRPCPiece",
                "PipelinePiece",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CourseEngineTests",
            dependencies: ["CourseEngine", "Grading", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GradingTests",
            dependencies: ["Grading", "StdioPiece", "TCPEchoPiece", "CounterPiece", "CourseEngine", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "UsersAPITests",
            dependencies: [
                "UsersAPIPiece",
                "CachePiece",
                "UserRPCPiece",
                "PipelinePiece",
                "CourseEngine",
                "Grading",
                "course",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Scripts"]
        ),
        .testTarget(
            name: "CacheTests",
            dependencies: [
                "CachePiece",
                "CourseEngine",
                "Grading",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "UserRPCTests",
            dependencies: [
                "UserRPCPiece",
                "CourseEngine",
                "Grading",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Scripts"]
        ),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["PipelinePiece", "CourseEngine", "Grading"]
        ),
        .testTarget(
            name: "CourseCLITests",
            dependencies: ["CourseEngine", "Grading", "course"],
            exclude: ["Fixtures"]
        ),
    ]
)
