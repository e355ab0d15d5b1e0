#!/usr/bin/env python3
"""Builds the Go/ELF fixtures of TestBinaries/ into TestBinaries/out/.

Called by scripts/fixtures (read that first). Everything generated lives in
TestBinaries/out/ (binaries, manifest.json, reference outputs) and
TestBinaries/work/ (GOCACHE, GOMODCACHE, GOPATH, local GOPROXY, modfiles).
Standard library only.
"""
import concurrent.futures as cf
import json, os, shutil, subprocess, sys, time

TB = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(TB)
SRC, OUT, WORK = os.path.join(TB, "src"), os.path.join(TB, "out"), os.path.join(TB, "work")
BIN = os.path.join(OUT, "bin")
REF_GO = "1.25.5"          # toolchain whose `go version -m` gives the reference outputs
DEBIAN_GO = "/usr/lib/go-1.19/bin/go"

def load_env():
    env = {}
    with open(os.path.join(TB, "toolchains.env")) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                env[k] = v.strip().strip('"')
    return env

GO_VERSIONS = load_env()["GO_VERSIONS"].split()

def gobin(ver):
    if ver == "1.19":
        return DEBIAN_GO
    return os.path.join(ROOT, ".toolchains", "go" + ver, "go", "bin", "go")

# ---------------------------------------------------------------- build list
# Each build: name (file under out/bin/), role, go (toolchain), src (dir under
# src/), pkg, mods (required module versions), replace, env, flags,
# post (strip), arch, cc.
BUILDS = []

def B(name, role, go, src, pkg=".", shared="v1.0.0", pluginlib="v1.0.0", replace=None,
      env=None, flags=(), arch="amd64", cc=None, modcache=None, note=""):
    if cc is None:
        cc = {"amd64": "gcc", "arm64": "aarch64-linux-gnu-gcc", "386": "i686-linux-gnu-gcc"}[arch]
    BUILDS.append(dict(name=name, role=role, go=go, src=src, pkg=pkg, shared=shared,
                       pluginlib=pluginlib, replace=replace, env=dict(env or {}),
                       flags=list(flags), arch=arch, cc=cc, modcache=modcache, note=note))

def gw(name, go="1.25.5", **kw):
    B(name, "gateway", go, "gateway", **kw)

def pl(name, kind="handler", go="1.25.5", flags=(), **kw):
    B(name, "plugin", go, "plugins", pkg="./" + kind, flags=["-buildmode=plugin"] + list(flags), **kw)

def define():
    tcs = ["1.19"] + GO_VERSIONS
    for v in tcs:
        gw(f"gateway-go{v}", go=v)
        pl(f"plugin-handler-go{v}.so", go=v)
    for kind in ("client", "modifier", "none"):
        pl(f"plugin-{kind}-go1.25.5.so", kind=kind)
    pl("plugin-none-go1.24.11.so", kind="none", go="1.24.11",
       note="fails the fingerprint check in a Go 1.25 host; its plugin path is unique among the fixtures in use")
    # the KrakenD-like gateway: loads a plugin folder from a configuration file (folders.json cases)
    B("krakend-go1.25.5", "gateway", "1.25.5", "krakend")
    pl("plugin-modifier-go1.25.5-pluginlib-v1.1.0.so", kind="modifier", pluginlib="v1.1.0")
    pl("plugin-client-go1.25.5-pluginlib-v1.1.0.so", kind="client", pluginlib="v1.1.0")
    # gateway variants
    gw("gateway-go1.25.5-trimpath", flags=["-trimpath"])
    gw("gateway-go1.25.5-race", flags=["-race"])
    gw("gateway-go1.25.5-pie", flags=["-buildmode=pie"])
    gw("gateway-go1.25.5-nocgo", env={"CGO_ENABLED": "0"})
    gw("gateway-go1.25.5-ldflags-sw", flags=["-ldflags=-s -w"])
    gw("gateway-go1.25.5-musl", cc="musl-gcc")
    gw("gateway-go1.25.5-arm64", arch="arm64")
    gw("gateway-go1.25.5-shared-v1.1.0", shared="v1.1.0")
    gw("gateway-go1.25.5-replace-same", replace="shared-same")
    gw("gateway-go1.25.5-trimpath-replace-same", replace="shared-same", flags=["-trimpath"])
    gw("gateway-go1.25.5-tags-extra", flags=["-tags=extra"])
    # plugin variants (handler, Go 1.25.5)
    pl("plugin-handler-go1.25.5-trimpath.so", flags=["-trimpath"])
    pl("plugin-handler-go1.25.5-race.so", flags=["-race"])
    pl("plugin-handler-go1.25.5-tags-extra.so", flags=["-tags=extra"])
    pl("plugin-handler-go1.25.5-tags-unused.so", flags=["-tags=unused"])
    pl("plugin-handler-go1.25.5-goexperiment-greenteagc.so", env={"GOEXPERIMENT": "greenteagc"})
    pl("plugin-handler-go1.25.5-gcflags-main.so", flags=["-gcflags=-N -l"])
    pl("plugin-handler-go1.25.5-gcflags-shared.so", flags=["-gcflags=example.com/shared=-N -l"])
    pl("plugin-handler-go1.25.5-ldflags-sw.so", flags=["-ldflags=-s -w"])
    pl("plugin-handler-go1.25.5-ldflags-X.so", flags=["-ldflags=-X main.Name=handler-other"],
       note="same plugin path as plugin-handler-go1.25.5.so, different file content")
    pl("plugin-handler-go1.25.5-goamd64-v3.so", env={"GOAMD64": "v3"})
    pl("plugin-handler-go1.25.5-modcache-alt.so", modcache="gomodcache-alt")
    pl("plugin-handler-go1.25.5-shared-v1.1.0.so", shared="v1.1.0")
    for r in ("same", "body", "comment", "commentline"):
        pl(f"plugin-handler-go1.25.5-replace-{r}.so", replace="shared-" + r)
        pl(f"plugin-handler-go1.25.5-trimpath-replace-{r}.so", replace="shared-" + r, flags=["-trimpath"])
    pl("plugin-handler-go1.25.5-arm64.so", arch="arm64")
    pl("plugin-handler-go1.25.5-386.so", arch="386")
    pl("plugin-handler-go1.25.5-musl.so", cc="musl-gcc")
    pl("plugin-cgofort-go1.25.5.so", kind="cgofort",
       env={"CGO_CFLAGS": "-O2 -D_FORTIFY_SOURCE=2"})
    pl("plugin-cgofort-go1.25.5-musl.so", kind="cgofort", cc="musl-gcc",
       env={"CGO_CFLAGS": "-O2 -D_FORTIFY_SOURCE=2"})
    # shared objects that are not Go plugins
    B("cshared-go1.25.5.so", "c-shared", "1.25.5", "cshared", flags=["-buildmode=c-shared"])

# post-build derived files: name -> (kind, source)
DERIVED = [
    ("plugin-handler-go1.25.5-strip.so", "strip", "plugin-handler-go1.25.5.so"),
    ("gateway-go1.25.5-strip", "strip", "gateway-go1.25.5"),
    ("plugin-handler-go1.19-strip.so", "strip", "plugin-handler-go1.19.so"),
    ("plugin-handler-go1.25.5-copy.so", "copy", "plugin-handler-go1.25.5.so"),
    ("plugin-handler-go1.25.5-hardlink.so", "hardlink", "plugin-handler-go1.25.5.so"),
    ("plugin-handler-go1.25.5-symlink.so", "symlink", "plugin-handler-go1.25.5.so"),
]

# ---------------------------------------------------------------- helpers
def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)

def modfile(b):
    with open(os.path.join(SRC, b["src"], "go.mod")) as f:
        module = f.readline().split()[1]
    req = []
    if b["src"] in ("gateway", "krakend", "plugins"):
        req.append(("example.com/shared", b["shared"]))
    if b["src"] == "plugins":
        req.append(("example.com/pluginlib", b["pluginlib"]))
    text = f"module {module}\n\ngo 1.19\n"
    if req:
        text += "\nrequire (\n" + "".join(f"\t{m} {v}\n" for m, v in req) + ")\n"
    if b["replace"]:
        text += f"\nreplace example.com/shared => {os.path.join(SRC, 'replace', b['replace'])}\n"
    return module, req, text

def go_env(b):
    e = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "TMPDIR", "LANG")}
    gb = gobin(b["go"])
    e.update({
        "PATH": os.path.dirname(gb) + ":" + os.environ.get("PATH", "/usr/bin:/bin"),
        "GOTOOLCHAIN": "local", "GOENV": "off", "GOWORK": "off", "GO111MODULE": "on",
        "GOPROXY": "file://" + os.path.join(WORK, "proxy"), "GOSUMDB": "off",
        "GONOSUMDB": "", "GOPRIVATE": "", "GOFLAGS": "-mod=mod -modcacherw -buildvcs=false",
        "GOCACHE": os.path.join(WORK, "gocache"),
        "GOMODCACHE": os.path.join(WORK, b["modcache"] or "gomodcache"),
        "GOPATH": os.path.join(WORK, "gopath"),
        "GOOS": "linux", "GOARCH": b["arch"], "CGO_ENABLED": "1", "CC": b["cc"], "GOTELEMETRY": "off",
    })
    e.update(b["env"])
    return e

def build_one(b):
    t0 = time.time()
    module, req, text = modfile(b)
    mdir = os.path.join(WORK, "mod", b["name"])
    os.makedirs(mdir, exist_ok=True)
    mf = os.path.join(mdir, "go.mod")
    with open(mf, "w") as f:
        f.write(text)
    out = os.path.join(BIN, b["name"])
    cmd = [gobin(b["go"]), "build", "-modfile=" + mf] + b["flags"] + ["-o", out, b["pkg"]]
    env = go_env(b)
    r = subprocess.run(cmd, cwd=os.path.join(SRC, b["src"]), env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"build {b['name']} failed:\n{' '.join(cmd)}\n{r.stdout}")
    if b["role"] == "c-shared":
        hdr = out[:-3] + ".h"
        if os.path.exists(hdr):
            os.remove(hdr)
    entry = {
        "name": "bin/" + b["name"], "role": b["role"],
        "toolchain": "go" + b["go"] if b["go"] != "1.19" else "go1.19.8 (Debian golang-1.19-go)",
        "goos": "linux", "goarch": b["arch"], "cc": b["cc"] if env["CGO_ENABLED"] == "1" else None,
        "cgo": env["CGO_ENABLED"] == "1",
        "flags": b["flags"],
        "env": {k: env[k] for k in sorted(b["env"])},
        "module": module,
        "package": b["pkg"],
        "source": "TestBinaries/src/" + b["src"],
        "modules": {m: v for m, v in req},
        "replace": ({"example.com/shared": "TestBinaries/src/replace/" + b["replace"]}
                    if b["replace"] else {}),
        "gomodcache": "TestBinaries/work/" + (b["modcache"] or "gomodcache"),
        "trimpath": "-trimpath" in b["flags"],
        "command": "go build -modfile=<generated> " + " ".join(b["flags"]) + " -o " + b["name"] + " " + b["pkg"],
    }
    if b["note"]:
        entry["note"] = b["note"]
    print(f"  built {b['name']} ({time.time() - t0:.1f}s)", flush=True)
    return entry

def derived(entries):
    byname = {e["name"]: e for e in entries}
    res = []
    for name, kind, src in DERIVED:
        s, d = os.path.join(BIN, src), os.path.join(BIN, name)
        if os.path.lexists(d):
            os.remove(d)
        e = dict(byname["bin/" + src])
        e = {k: v for k, v in e.items() if k != "note"}
        e["name"] = "bin/" + name
        e["derivedFrom"] = "bin/" + src
        if kind == "strip":
            strip = "aarch64-linux-gnu-strip" if e["goarch"] == "arm64" else "strip"
            shutil.copy2(s, d)
            sh([strip, d])
            e["postprocess"] = f"binutils {strip} (all symbols)"
        elif kind == "copy":
            shutil.copy2(s, d); e["postprocess"] = "cp (a copy at another path)"; e["role"] = "plugin-copy"
        elif kind == "hardlink":
            os.link(s, d); e["postprocess"] = "ln (hard link)"; e["role"] = "plugin-hardlink"
        elif kind == "symlink":
            os.symlink(src, d); e["postprocess"] = f"ln -s {src}"; e["role"] = "plugin-symlink"
        res.append(e)
    return res

def non_go(entries):
    # plain C shared library
    d = os.path.join(BIN, "clib.so")
    sh(["gcc", "-O2", "-shared", "-fPIC", "-o", d, os.path.join(SRC, "clib", "clib.c")])
    entries.append({"name": "bin/clib.so", "role": "c-lib", "toolchain": None, "goos": "linux",
                    "goarch": "amd64", "cc": "gcc", "flags": ["-O2", "-shared", "-fPIC"], "env": {},
                    "source": "TestBinaries/src/clib"})
    shutil.copyfile(os.path.join(SRC, "text", "text.so"), os.path.join(BIN, "text.so"))
    entries.append({"name": "bin/text.so", "role": "text", "toolchain": None,
                    "source": "TestBinaries/src/text"})
    open(os.path.join(BIN, "empty.so"), "w").close()
    entries.append({"name": "bin/empty.so", "role": "empty", "toolchain": None, "source": None})

def is_elf(p):
    try:
        with open(p, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False

def references(entries):
    """readelf and `go version -m` reference outputs next to each file."""
    ref = gobin(REF_GO)
    env = dict(os.environ, GOTOOLCHAIN="local", GOENV="off", GOTELEMETRY="off")
    def one(e):
        rel = e["name"]
        p = os.path.join(OUT, rel)
        if is_elf(p):
            r = subprocess.run(["readelf", "-h", "-l", "-S", "-d", "-n", "-V", "--dyn-syms", "-W", rel],
                               cwd=OUT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            with open(p + ".readelf.txt", "wb") as f:
                f.write(r.stdout)
        r = subprocess.run([ref, "version", "-m", rel], cwd=OUT, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with open(p + ".goversion.txt", "wb") as f:
            f.write(r.stdout)
        with open(p + ".goversion.stderr.txt", "wb") as f:
            f.write(r.stderr)
        with open(p + ".goversion.rc", "w") as f:
            f.write(f"{r.returncode}\n")
        e["elf"] = is_elf(p)
        e["size"] = os.path.getsize(p)
        e["goversionRC"] = r.returncode
    with cf.ThreadPoolExecutor(4) as ex:
        list(ex.map(one, entries))

def main():
    jobs = int(os.environ.get("FIXTURES_JOBS", "2"))
    define()
    only = sys.argv[1:]          # optional: build only these names (for development)
    for d in (BIN, os.path.join(OUT, "example")):
        if not only and os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d, exist_ok=True)
    os.makedirs(WORK, exist_ok=True)
    sh([sys.executable, os.path.join(TB, "tools", "mkproxy.py"), os.path.join(SRC, "modules"),
        os.path.join(WORK, "proxy")])
    builds = [b for b in BUILDS if not only or b["name"] in only]
    # Put the first build of each expensive configuration early, so both workers stay busy.
    t0 = time.time()
    entries = []
    # Two waves: first one build per standard-library configuration (so two
    # workers never compile the same std at once), then the rest.
    def key(b):
        fl = [f for f in b["flags"] if f.startswith(("-buildmode", "-race", "-trimpath", "-gcflags=all"))]
        return (b["go"], b["arch"], b["cc"], tuple(fl), tuple(sorted(b["env"].items())))
    seen, first, rest = set(), [], []
    for b in builds:
        (rest if key(b) in seen else first).append(b)
        seen.add(key(b))
    with cf.ThreadPoolExecutor(jobs) as ex:
        for wave in (first, rest):
            entries += list(ex.map(build_one, wave))
    if only:
        return
    entries += derived(entries)
    non_go(entries)
    # stable example names used by the README
    for src, dst in (("plugin-handler-go1.25.5.so", "example/handler.so"), ("gateway-go1.25.5", "example/gateway")):
        shutil.copy2(os.path.join(BIN, src), os.path.join(OUT, dst))
        e = dict(next(x for x in entries if x["name"] == "bin/" + src))
        e["name"], e["derivedFrom"] = dst, "bin/" + src
        e.pop("note", None)
        entries.append(e)
    references(entries)
    entries.sort(key=lambda e: e["name"])
    manifest = {"generatedBy": "scripts/fixtures", "referenceGoVersion": "go" + REF_GO,
                "commonEnv": {"GOTOOLCHAIN": "local", "GOENV": "off", "GOTELEMETRY": "off", "GOWORK": "off", "GO111MODULE": "on",
                              "GOPROXY": "file://TestBinaries/work/proxy (built from TestBinaries/src/modules)",
                              "GOSUMDB": "off", "GOFLAGS": "-mod=mod -modcacherw -buildvcs=false",
                              "GOCACHE": "TestBinaries/work/gocache", "GOPATH": "TestBinaries/work/gopath",
                              "GOOS": "linux", "CGO_ENABLED": "1 unless env says otherwise",
                              "modfile": "generated per build in TestBinaries/work/mod/<name>/go.mod (go 1.19, require, replace)"},
                "referenceOutputs": {"readelf": "<file>.readelf.txt = readelf -h -l -S -d -n -V --dyn-syms -W <file> (ELF files only)",
                                     "goversion": "<file>.goversion.txt / .goversion.stderr.txt / .goversion.rc = go1.25.5 version -m <file>, run in TestBinaries/out"},
                "buildSeconds": round(time.time() - t0, 1), "files": entries}
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"fixtures: {len(entries)} files in {time.time() - t0:.0f}s")

if __name__ == "__main__":
    main()
