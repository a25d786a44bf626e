#!/usr/bin/env python3
"""Write a single-layer OCI image layout from files on this machine, reproducibly and with no network.

The Swiftlet test bed uses it for two images:

    mkimage.py busybox --busybox /bin/busybox --out DIR --tag latest --tag 1.35
    mkimage.py pause --pause-binary out/pause --out DIR --tag 3.9

The layer is a gzip'd tar whose members are sorted, owned by 0:0 with no user or group names, and stamped with one
fixed mtime (SOURCE_DATE_EPOCH, default 0). The gzip header carries no file name and mtime 0. The same inputs give
the same digests on every run, so pushing again is a no-op for the registry. Standard library only.
"""

import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import platform
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def fail(message):
    print(f"mkimage: {message}", file=sys.stderr)
    sys.exit(1)


def canonical_json(value):
    # Sorted keys and no whitespace: the bytes (and so the digest) depend only on the content.
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def oci_architecture():
    machine = platform.machine()
    return {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "ppc64le": "ppc64le", "s390x": "s390x"}.get(
        machine, machine
    )


def is_static_elf(path):
    """True when the ELF file has no PT_INTERP program header, i.e. needs no dynamic loader inside the image."""
    with open(path, "rb") as f:
        header = f.read(64)
        if header[:4] != b"\x7fELF":
            return False
        if header[4] != 2:  # only ELFCLASS64 is expected on the machines this runs on
            return False
        endian = "<" if header[5] == 1 else ">"
        phoff = struct.unpack_from(endian + "Q", header, 0x20)[0]
        phentsize, phnum = struct.unpack_from(endian + "HH", header, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    for i in range(phnum):
        (p_type,) = struct.unpack_from(endian + "I", table, i * phentsize)
        if p_type == 3:  # PT_INTERP
            return False
    return True


class Layer:
    """Collects tar members by path; writes them sorted so the order never depends on insertion."""

    def __init__(self, mtime):
        self.mtime = mtime
        self.entries = {}

    def _info(self, name, kind, mode):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.mode = mode
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = self.mtime
        return info

    def directory(self, name, mode=0o755):
        self.entries[name] = (self._info(name, tarfile.DIRTYPE, mode), None)

    def file(self, name, data, mode=0o644):
        info = self._info(name, tarfile.REGTYPE, mode)
        info.size = len(data)
        self.entries[name] = (info, data)

    def symlink(self, name, target):
        info = self._info(name, tarfile.SYMTYPE, 0o777)
        info.linkname = target
        self.entries[name] = (info, None)

    def tar_bytes(self):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for name in sorted(self.entries):
                info, data = self.entries[name]
                tar.addfile(info, io.BytesIO(data) if data is not None else None)
        return buffer.getvalue()


class Layout:
    """An OCI image layout directory being written."""

    def __init__(self, root):
        self.root = root
        os.makedirs(os.path.join(root, "blobs", "sha256"))
        with open(os.path.join(root, "oci-layout"), "wb") as f:
            f.write(canonical_json({"imageLayoutVersion": "1.0.0"}))

    def blob(self, data):
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(self.root, "blobs", "sha256", digest), "wb") as f:
            f.write(data)
        return "sha256:" + digest

    def write_index(self, manifests):
        index = {"schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": manifests}
        with open(os.path.join(self.root, "index.json"), "wb") as f:
            f.write(canonical_json(index))


def write_image(out, layer, image_config, tags, created):
    tar = layer.tar_bytes()
    gz_buffer = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of anything that changes between runs.
    with gzip.GzipFile(filename="", fileobj=gz_buffer, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(tar)
    compressed = gz_buffer.getvalue()

    parent = os.path.dirname(os.path.abspath(out))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".mkimage-", dir=parent)
    try:
        layout = Layout(os.path.join(staging, "layout"))
        layer_digest = layout.blob(compressed)
        config = {
            "architecture": oci_architecture(),
            "os": "linux",
            "created": created,
            "config": image_config,
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(tar).hexdigest()]},
            "history": [{"created": created, "created_by": "swiftlet deploy/testbed/mkimage.py"}],
        }
        config_bytes = canonical_json(config)
        config_digest = layout.blob(config_bytes)
        manifest = {
            "schemaVersion": 2,
            "mediaType": MEDIA_MANIFEST,
            "config": {"mediaType": MEDIA_CONFIG, "digest": config_digest, "size": len(config_bytes)},
            "layers": [{"mediaType": MEDIA_LAYER, "digest": layer_digest, "size": len(compressed)}],
        }
        manifest_bytes = canonical_json(manifest)
        manifest_digest = layout.blob(manifest_bytes)
        layout.write_index(
            [
                {
                    "mediaType": MEDIA_MANIFEST,
                    "digest": manifest_digest,
                    "size": len(manifest_bytes),
                    "platform": {"architecture": oci_architecture(), "os": "linux"},
                    "annotations": {"org.opencontainers.image.ref.name": tag},
                }
                for tag in tags
            ]
        )
        # Replace the old layout only once the new one is complete: a half-written layout is never visible.
        if os.path.exists(out):
            shutil.rmtree(out)
        os.rename(layout.root, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest_digest


def base_directories(layer):
    for name in ("bin", "dev", "etc", "home", "proc", "root", "sbin", "sys", "usr", "usr/bin", "usr/sbin", "var"):
        layer.directory(name, 0o700 if name == "root" else 0o755)
    layer.directory("tmp", 0o1777)
    layer.directory("var/tmp", 0o1777)


def busybox_image(args, mtime, created):
    binary = args.busybox
    if not os.path.isfile(binary):
        fail(f"{binary} not found: install Debian's busybox-static")
    if not is_static_elf(binary):
        fail(f"{binary} is dynamically linked: install Debian's busybox-static (not busybox)")
    listing = subprocess.run([binary, "--list"], check=True, capture_output=True, text=True).stdout.split()
    applets = sorted({name for name in listing if name and "/" not in name and name != "busybox"})
    if "sh" not in applets:
        fail(f"{binary} --list has no sh applet")

    layer = Layer(mtime)
    base_directories(layer)
    with open(binary, "rb") as f:
        layer.file("bin/busybox", f.read(), 0o755)
    for applet in applets:
        layer.symlink(f"bin/{applet}", "busybox")
    # Scripts with "#!/usr/bin/env ..." are common enough in tests to be worth one extra link.
    layer.symlink("usr/bin/env", "/bin/busybox")
    layer.file("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
    layer.file("etc/group", b"root:x:0:\nnobody:x:65534:\n")
    config = {"Env": [DEFAULT_PATH], "Cmd": ["sh"], "WorkingDir": "/"}
    return write_image(args.out, layer, config, args.tag, created), len(applets)


def pause_image(args, mtime, created):
    binary = args.pause_binary
    if not os.path.isfile(binary):
        fail(f"{binary} not found: build deploy/testbed/pause.c first (gcc -static)")
    if not is_static_elf(binary):
        fail(f"{binary} is not statically linked")
    layer = Layer(mtime)
    with open(binary, "rb") as f:
        layer.file("pause", f.read(), 0o755)
    config = {"Env": [DEFAULT_PATH], "Entrypoint": ["/pause"], "WorkingDir": "/"}
    return write_image(args.out, layer, config, args.tag, created), 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=("busybox", "pause"))
    parser.add_argument("--out", required=True, help="OCI layout directory to (re)create")
    parser.add_argument("--tag", action="append", required=True, help="ref name; repeat for more tags")
    parser.add_argument("--busybox", default="/bin/busybox")
    parser.add_argument("--pause-binary")
    args = parser.parse_args()
    if args.kind == "pause" and not args.pause_binary:
        parser.error("pause needs --pause-binary")

    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    created = datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    build = busybox_image if args.kind == "busybox" else pause_image
    digest, files = build(args, mtime, created)
    print(f"{args.kind}: {args.out} {digest} tags={','.join(args.tag)} entries={files}")


if __name__ == "__main__":
    main()
