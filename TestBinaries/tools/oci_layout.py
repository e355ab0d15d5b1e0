"""Writes an OCI image layout of one gzip-compressed layer, for the test images made by
hostile_images.py and config_image.py."""
import hashlib, json, os

MANIFEST = "application/vnd.oci.image.manifest.v1+json"


def write(d, layer, config, stored=None, index=None):
    """Makes the layout in directory `d`: the image configuration `config` (a dict) and the
    layer's bytes as blobs, a manifest naming them, `oci-layout` and `index.json`. `stored`:
    other bytes to write in the layer's file than its digest names (a changed image); `index`:
    the object to write as index.json instead of the one naming the manifest."""
    os.makedirs(os.path.join(d, "blobs", "sha256"))

    def blob(data):
        h = hashlib.sha256(data).hexdigest()
        with open(os.path.join(d, "blobs", "sha256", h), "wb") as f:
            f.write(data)
        return {"digest": "sha256:" + h, "size": len(data)}

    c = blob(json.dumps(config).encode())
    l = blob(layer)
    if stored is not None:
        with open(os.path.join(d, "blobs", "sha256", l["digest"][7:]), "wb") as f:
            f.write(stored)
    manifest = blob(json.dumps({"schemaVersion": 2, "mediaType": MANIFEST,
                                "config": dict(c, mediaType="application/vnd.oci.image.config.v1+json"),
                                "layers": [dict(l, mediaType="application/vnd.oci.image.layer.v1.tar+gzip")]}).encode())
    with open(os.path.join(d, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(d, "index.json"), "w") as f:
        json.dump(index or {"schemaVersion": 2, "manifests": [dict(manifest, mediaType=MANIFEST)]}, f)
