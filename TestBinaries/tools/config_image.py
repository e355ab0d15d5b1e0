#!/usr/bin/env python3
"""An OCI image layout for ImageAgreementTests: its KrakenD configuration is outside /etc, in
its working directory (/app/krakend.json), and longer than the 4 KiB a stand-in keeps, with a
plugin folder beside it holding one text file named like a plugin. No gateway: the test names
one the image does not have, and reads only what the configuration gives.

    config_image.py OUT
"""
import gzip, hashlib, io, json, os, sys, tarfile

out = sys.argv[1]
os.makedirs(os.path.join(out, "blobs", "sha256"))


def blob(data):
    h = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "blobs", "sha256", h), "wb") as f:
        f.write(data)
    return {"digest": "sha256:" + h, "size": len(data)}


config = json.dumps({"version": 3, "name": "x" * 9000, "plugin": {"folder": "./plugins/", "pattern": ".so"}}).encode()
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w") as t:
    for name, data in [("app/krakend.json", config), ("app/plugins/readme.so.txt", b"not a plugin\n")]:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
layer = gzip.compress(raw.getvalue())
image_config = blob(json.dumps({"architecture": "amd64", "os": "linux",
                                "config": {"Entrypoint": ["/usr/bin/krakend"], "WorkingDir": "/app"},
                                "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()]}}).encode())
manifest = blob(json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                            "config": dict(image_config, mediaType="application/vnd.oci.image.config.v1+json"),
                            "layers": [dict(blob(layer), mediaType="application/vnd.oci.image.layer.v1.tar+gzip")]}).encode())
with open(os.path.join(out, "oci-layout"), "w") as f:
    json.dump({"imageLayoutVersion": "1.0.0"}, f)
with open(os.path.join(out, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [dict(manifest, mediaType="application/vnd.oci.image.manifest.v1+json")]}, f)
