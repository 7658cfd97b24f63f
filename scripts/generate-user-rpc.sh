#!/usr/bin/env bash
# Regenerates the Swift code of Exercises/user-rpc/user.proto into
# Sources/UserRPCPiece/Generated (committed; nothing is generated at build time or in CI).
# Needs Debian's protobuf-compiler; builds the two plugins from the package's own
# dependencies first (under a minute once the package is built):
#
#   bash scripts/generate-user-rpc.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build --product protoc-gen-swift >&2
swift build --product protoc-gen-grpc-swift-2 >&2
bin="$(swift build --show-bin-path)"
out=Sources/UserRPCPiece/Generated
protoc --proto_path=Exercises/user-rpc \
    --plugin="$bin/protoc-gen-swift" --swift_out="$out" --swift_opt=Visibility=Internal \
    --plugin="$bin/protoc-gen-grpc-swift-2" --grpc-swift-2_out="$out" --grpc-swift-2_opt=Visibility=Internal \
    user.proto
# The proto's hash, which GeneratedCodeDriftTests compares with today's user.proto.
(cd Exercises/user-rpc && sha256sum user.proto) >"$out/user.proto.sha256"
echo "generated: $(cd "$out" && ls *.swift | tr '\n' ' ')" >&2
