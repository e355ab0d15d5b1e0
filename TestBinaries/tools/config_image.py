#!/usr/bin/env python3
"""An OCI image layout for ImageAgreementTests: its KrakenD configuration is outside /etc, in
its working directory (/app/krakend.json), and longer than the 4 KiB a stand-in keeps, with a
plugin folder beside it holding one text file named like a plugin. No gateway: the test names
one the image does not have, and reads only what the configuration gives.

    config_image.py OUT
"""
import gzip, hashlib, io, json, os, sys, tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oci_layout  # noqa: E402

out = sys.argv[1]
config = json.dumps({"version": 3, "name": "x" * 9000, "plugin": {"folder": "./plugins/", "pattern": ".so"}}).encode()
raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w") as t:
    for name, data in [("app/krakend.json", config), ("app/plugins/readme.so.txt", b"not a plugin\n")]:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
oci_layout.write(out, gzip.compress(raw.getvalue()),
                 {"architecture": "amd64", "os": "linux", "config": {"Entrypoint": ["/usr/bin/krakend"], "WorkingDir": "/app"},
                  "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw.getvalue()).hexdigest()]}})
