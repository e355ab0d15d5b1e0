#!/usr/bin/env python3
"""Hostile container images for ImageAgreementTests: one OCI image layout per case in OUT,
each with one layer written by Python's tarfile (or by hand where tarfile refuses to write
the damage). OUTSIDE is a directory outside the image that the archive tries to write into.

    hostile_images.py OUT OUTSIDE
"""
import gzip, hashlib, io, json, os, sys, tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oci_layout  # noqa: E402

out, outside = sys.argv[1], sys.argv[2]


def layout(name, layer, index=None, stored=None):
    oci_layout.write(os.path.join(out, name), layer, {"architecture": "amd64", "os": "linux", "config": {}}, stored=stored, index=index)


def tar(entries, compress=True):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            info = tarfile.TarInfo(e["name"])
            info.type = e.get("type", tarfile.REGTYPE)
            info.linkname = e.get("link", "")
            data = e.get("data", b"")
            info.size = len(data) if info.type == tarfile.REGTYPE else 0
            if "pax" in e:
                info.pax_headers = e["pax"]
            t.addfile(info, io.BytesIO(data) if info.type == tarfile.REGTYPE else None)
    raw = b.getvalue()
    return gzip.compress(raw) if compress else raw


pwn = os.path.join(outside, "pwned")
layout("traversal", tar([{"name": "etc/ok", "data": b"ok"}, {"name": "../../../../../../" + pwn.lstrip("/"), "data": b"x"}]))
layout("absolute", tar([{"name": pwn, "data": b"x"}]))
layout("symlink-escape", tar([{"name": "evil", "type": tarfile.SYMTYPE, "link": outside}, {"name": "evil/pwned", "data": b"x"}]))
layout("symlink-relative-escape", tar([{"name": "lib/up", "type": tarfile.SYMTYPE, "link": "../../../../../../" + outside.lstrip("/")}]))
layout("hardlink-escape", tar([{"name": "h", "type": tarfile.LNKTYPE, "link": "../../../../etc/passwd"}]))
layout("hardlink-absolute", tar([{"name": "h", "type": tarfile.LNKTYPE, "link": "/etc/passwd"}]))
full = tar([{"name": "usr/lib/big", "data": os.urandom(200000)}])
layout("truncated-layer", full[: len(full) // 2])
raw = tar([{"name": "usr/lib/big", "data": b"y" * 100000}], compress=False)
layout("truncated-tar", gzip.compress(raw[:60000]))
layout("oversize-header", tar([{"name": "a", "data": b"x", "pax": {"comment": "z" * (2 << 20)}}]))
# A header claiming 2^50 bytes (GNU base-256 size field), checksum made right.
h = bytearray(tarfile.TarInfo("huge").tobuf(format=tarfile.GNU_FORMAT))
h[124:136] = b"\x80" + (1 << 50).to_bytes(11, "big")
h[148:156] = b" " * 8
h[148:156] = ("%06o\0 " % sum(h)).encode()
layout("huge-claimed-size", gzip.compress(bytes(h) + b"\0" * 1024))
layout("digest-traversal", tar([]), index={"schemaVersion": 2, "manifests": [{"digest": "sha256:../../../../etc/passwd", "size": 1}]})
layout("not-an-image", tar([]), index={"schemaVersion": 2})
# A layer whose bytes are not the ones its digest names: a valid layer, another file's content.
layout("layer-digest-mismatch", tar([{"name": "etc/ok", "data": b"ok"}]), stored=tar([{"name": "etc/ok", "data": b"ko"}]))


def docker_archive(name, layer, diff_id):
    """A docker-archive tarball of one uncompressed layer whose configuration lists `diff_id`."""
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": [diff_id]}}).encode()
    members = [("manifest.json", json.dumps([{"Config": "config.json", "RepoTags": ["x:latest"], "Layers": ["layer.tar"]}]).encode()),
               ("config.json", config), ("layer.tar", layer)]
    with tarfile.open(os.path.join(out, name), "w", format=tarfile.PAX_FORMAT) as t:
        for n, data in members:
            info = tarfile.TarInfo(n)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


ok_layer = tar([{"name": "etc/ok", "data": b"ok"}], compress=False)
docker_archive("docker-diffid-mismatch", ok_layer, "sha256:" + hashlib.sha256(ok_layer + b"x").hexdigest())
