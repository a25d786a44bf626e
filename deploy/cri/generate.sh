#!/usr/bin/env bash
# Regenerates Sources/CRI/Generated/ from deploy/cri/api.proto (see README.md for the proto's origin).
#
# Only the messages (api.pb.swift) are generated: the calls go through Swiftlet's own unary gRPC client
# (Sources/CRI/Wire), which needs no generated service code.
#
# Needs: protoc (Debian: protobuf-compiler) and protoc-gen-swift, built from the exact swift-protobuf version
# pinned in Package.resolved (the checkout under .build/checkouts, so run `swift package resolve` first), in its
# own scratch directory so the project's .build is left alone. Set PROTOC_GEN_SWIFT to use a plugin you already
# have.
#
# CI does not run this: the generated code is committed.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${PLUGIN_SCRATCH:-$repo/.build-protoc}"
out="$repo/Sources/CRI/Generated"
proto_dir="$repo/deploy/cri"

gen_swift="${PROTOC_GEN_SWIFT:-}"
if [[ -z "$gen_swift" ]]; then
    pkg="$repo/.build/checkouts/swift-protobuf"
    if [[ ! -d "$pkg" ]]; then
        echo "missing $pkg: run 'swift package resolve' in $repo first" >&2
        exit 1
    fi
    swift build -c release --package-path "$pkg" --product protoc-gen-swift --scratch-path "$scratch/swift-protobuf" >&2
    gen_swift="$scratch/swift-protobuf/release/protoc-gen-swift"
fi

# Debian's protoc 3.21 rejects `[debug_redact = true]`; api.proto is stored with it already stripped.
if grep -q 'debug_redact' "$proto_dir/api.proto"; then
    echo "api.proto still contains debug_redact options; strip them (see README.md)" >&2
    exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
protoc \
    --plugin=protoc-gen-swift="$gen_swift" \
    -I "$proto_dir" \
    --swift_out="$tmp" --swift_opt=Visibility=Public \
    api.proto

# Swiftlet loads FoundationEssentials only; an `import Foundation` that is not the #else of a
# `#if canImport(FoundationEssentials)` would bring Foundation proper and ICU back (README.md).
if awk '/^import Foundation$/ && previous != "#else" { found = 1 } NF { previous = $0 } END { exit !found }' "$tmp/api.pb.swift"; then
    echo "api.pb.swift imports Foundation without a FoundationEssentials guard; see README.md" >&2
    exit 1
fi

mv "$tmp/api.pb.swift" "$out/api.pb.swift"
echo "generated: $(wc -c <"$out/api.pb.swift") bytes api.pb.swift"
