#!/usr/bin/env bash
# Regenerates the swift-protobuf code the tests use as an independent Heka decoder.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift built from
# apple/swift-protobuf at the version Package.swift resolves:
#   swift build -c release --product protoc-gen-swift   (in a checkout of swift-protobuf)
# then: PROTOC_GEN_SWIFT=/path/to/protoc-gen-swift scripts/generate-proto.sh
set -euo pipefail
cd "$(dirname "$0")/.."
plugin=${PROTOC_GEN_SWIFT:-$(command -v protoc-gen-swift)}
out=Tests/HekaClientTests/Generated
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" --swift_out="$out" \
    --swift_opt=Visibility=Internal --proto_path=Protos Protos/message.proto
echo "wrote $out/message.pb.swift"
