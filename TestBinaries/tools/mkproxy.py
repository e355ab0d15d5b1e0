#!/usr/bin/env python3
"""Build a GOPROXY folder from TestBinaries/src/modules/<module path>/<version>/.

Layout written: <module>/@v/list, <v>.info, <v>.mod, <v>.zip (zip entries
under <module>@<v>/). Timestamps are fixed so the output is reproducible.
usage: mkproxy.py SRC_MODULES_DIR PROXY_DIR
"""
import json, os, sys, zipfile

src, dst = sys.argv[1], sys.argv[2]
FIXED = (2024, 1, 1, 0, 0, 0)
mods = {}
for root, dirs, files in os.walk(src):
    if "go.mod" in files:
        rel = os.path.relpath(root, src)
        mod, ver = os.path.dirname(rel), os.path.basename(rel)
        mods.setdefault(mod, []).append((ver, root))
        dirs[:] = []
for mod, vers in sorted(mods.items()):
    vd = os.path.join(dst, mod, "@v")
    os.makedirs(vd, exist_ok=True)
    with open(os.path.join(vd, "list"), "w") as f:
        f.write("".join(v + "\n" for v, _ in sorted(vers)))
    for ver, root in vers:
        with open(os.path.join(vd, ver + ".info"), "w") as f:
            json.dump({"Version": ver, "Time": "2024-01-01T00:00:00Z"}, f)
        with open(os.path.join(root, "go.mod"), "rb") as g, open(os.path.join(vd, ver + ".mod"), "wb") as f:
            f.write(g.read())
        with zipfile.ZipFile(os.path.join(vd, ver + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
            for dp, _, fs in sorted(os.walk(root)):
                for name in sorted(fs):
                    p = os.path.join(dp, name)
                    arc = f"{mod}@{ver}/" + os.path.relpath(p, root)
                    zi = zipfile.ZipInfo(arc, FIXED)
                    zi.external_attr = 0o644 << 16
                    with open(p, "rb") as g:
                        z.writestr(zi, g.read(), zipfile.ZIP_DEFLATED)
print(f"mkproxy: {sum(len(v) for v in mods.values())} module versions -> {dst}")
