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
        .target(name: "TCPEchoPiece", dependencies: ["Grading", "CourseEngine"]),
        .executableTarget(
            name: "course",
            dependencies: [
                "CourseEngine",
                "Grading",
                "StdioPiece",
                "TCPEchoPiece",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "CourseEngineTests",
            dependencies: ["CourseEngine", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "GradingTests",
            dependencies: ["Grading", "StdioPiece", "TCPEchoPiece", "CourseEngine", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CourseCLITests",
            dependencies: ["CourseEngine", "Grading", "course"],
            exclude: ["Fixtures"]
        ),
    ]
)
