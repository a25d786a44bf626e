#!/usr/bin/env bash
# Regenerates Sources/CRI/Generated/ from deploy/cri/api.proto (see README.md for the proto's origin).
#
# Needs: protoc (Debian: protobuf-compiler) and the two protoc plugins. The plugins are built from the exact
# package versions pinned in Package.resolved (the checkouts under .build/checkouts, so run `swift package
# resolve` first), each in its own scratch directory so the project's .build is left alone. Set
# PROTOC_GEN_SWIFT / PROTOC_GEN_GRPC_SWIFT to use plugins you already have.
#
# CI does not run this: the generated code is committed.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
scratch="${PLUGIN_SCRATCH:-$repo/.build-protoc}"
out="$repo/Sources/CRI/Generated"
proto_dir="$repo/deploy/cri"

build_plugin() {  # package-dir product scratch-subdir
    local pkg="$1" product="$2" sub="$3"
    if [[ ! -d "$pkg" ]]; then
        echo "missing $pkg: run 'swift package resolve' in $repo first" >&2
        exit 1
    fi
    # One product per invocation: with two --product flags SwiftPM builds only the last one.
    swift build -c release --package-path "$pkg" --product "$product" --scratch-path "$scratch/$sub" >&2
    echo "$scratch/$sub/release/$product"
}

gen_swift="${PROTOC_GEN_SWIFT:-}"
gen_grpc="${PROTOC_GEN_GRPC_SWIFT:-}"
if [[ -z "$gen_swift" ]]; then
    gen_swift="$(build_plugin "$repo/.build/checkouts/swift-protobuf" protoc-gen-swift swift-protobuf)"
fi
if [[ -z "$gen_grpc" ]]; then
    gen_grpc="$(build_plugin "$repo/.build/checkouts/grpc-swift-protobuf" protoc-gen-grpc-swift-2 grpc-swift-protobuf)"
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
    --plugin=protoc-gen-grpc-swift-2="$gen_grpc" \
    -I "$proto_dir" \
    --swift_out="$tmp" --swift_opt=Visibility=Public \
    --grpc-swift-2_out="$tmp" \
    --grpc-swift-2_opt=Visibility=Public,Client=true,Server=false \
    api.proto

# Swiftlet loads FoundationEssentials only; an `import Foundation` that is not the #else of a
# `#if canImport(FoundationEssentials)` would bring Foundation proper and ICU back (README.md).
for file in "$tmp/api.pb.swift" "$tmp/api.grpc.swift"; do
    if awk '/^import Foundation$/ && previous != "#else" { found = 1 } NF { previous = $0 } END { exit !found }' "$file"; then
        echo "$(basename "$file") imports Foundation without a FoundationEssentials guard; see README.md" >&2
        exit 1
    fi
done

mv "$tmp/api.pb.swift" "$out/api.pb.swift"
mv "$tmp/api.grpc.swift" "$out/api.grpc.swift"
echo "generated: $(wc -c <"$out/api.pb.swift") bytes api.pb.swift, $(wc -c <"$out/api.grpc.swift") bytes api.grpc.swift"
