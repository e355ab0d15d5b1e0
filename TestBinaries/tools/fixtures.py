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

def gobin(ver, goroot=None):
    if ver == "1.19":
        return DEBIAN_GO
    if goroot == "alt":
        return os.path.join(WORK, "goroot-alt", "go" + ver, "go", "bin", "go")
    return os.path.join(ROOT, ".toolchains", "go" + ver, "go", "bin", "go")

TREE = os.path.join(WORK, "tree")

# ---------------------------------------------------------------- build list
# Each build: name (file under out/bin/), role, go (toolchain), src (dir under
# src/), pkg, mods (required module versions), replace, env, flags,
# post (strip), arch, cc.
BUILDS = []

def B(name, role, go, src, pkg=".", shared="v1.0.0", pluginlib="v1.0.0", replace=None,
      env=None, flags=(), arch="amd64", cc=None, modcache=None, note="",
      tree=None, sub="", copies=(), setup=(), replace_path=None, module=None, goroot=None):
    """One build. env values None unset the variable. Tree builds (tree=...) are made the way a
    user builds in a checkout: src/<src> is copied to work/tree/<tree>/<sub> with its go.mod
    written there (no -modfile), `copies` (path under src/, path under the checkout) are copied
    next to it, the `setup` steps run (see step()), then `go build` runs in the module directory
    with GOFLAGS=-modcacherw -buildvcs=false (no -mod=mod: vendor/ and go.work are honoured).
    replace_path: the replace target written literally (e.g. ../shared). module: another module
    path in go.mod. goroot="alt": the same toolchain at another path (work/goroot-alt/go)."""
    if cc is None:
        cc = {"amd64": "gcc", "arm64": "aarch64-linux-gnu-gcc", "386": "i686-linux-gnu-gcc"}[arch]
    BUILDS.append(dict(name=name, role=role, go=go, src=src, pkg=pkg, shared=shared,
                       pluginlib=pluginlib, replace=replace, env=dict(env or {}),
                       flags=list(flags), arch=arch, cc=cc, modcache=modcache, note=note,
                       tree=tree, sub=sub, copies=list(copies), setup=list(setup),
                       replace_path=replace_path, module=module, goroot=goroot))

def step(*argv, at=None, env=None):
    """A setup step of a tree build: argv run in the module directory (at=None) or in
    <checkout>/<at> ("." = the checkout root); "go" is the build's toolchain."""
    return dict(run=list(argv), at=at, env=dict(env or {}))

TIDY = step("go", "mod", "tidy", env={"GOWORK": "off"})
VENDOR = step("go", "mod", "vendor", env={"GOWORK": "off"})
GIT = dict(git=True)      # git init + one commit of the whole checkout (fixed author and dates)
SHARED_V100 = ("modules/example.com/shared/v1.0.0", "shared")   # a local checkout of shared v1.0.0
WS_ENV = {"GOWORK": None}   # GOWORK unset: the go.work found above the module directory is used

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
    gw("gateway-go1.25.5-goexperiment-greenteagc", env={"GOEXPERIMENT": "greenteagc"})
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
    real_world()
    registerers()

REGISTERERS = ("good", "wrongparam", "missingmethod", "pointervar", "ptrreceiver", "structreg",
               "othername", "loggerwrong", "client", "modifier")

def registerers():
    """Registerers with lura's real signatures and their mistakes (src/registerers), the KrakenD-like
    gateway asserting lura's interfaces (-tags=lura), and typeref (src/typeref), the runtime's view
    of each plugin's exports for the type descriptor tests; two toolchains, stripped twins."""
    for v in ("1.25.5", "1.24.11"):
        B(f"krakend-lura-go{v}", "gateway", v, "krakend", flags=["-tags=lura"])
        for r in REGISTERERS:
            B(f"reg-{r}-go{v}.so", "plugin", v, "registerers", pkg="./" + r, flags=["-buildmode=plugin"])
    for r in REGISTERERS:
        B(f"reg-{r}-go1.25.5-strip.so", "plugin", "1.25.5", "registerers", pkg="./" + r,
          flags=["-buildmode=plugin", "-ldflags=-s -w"])
    for v in ["1.19"] + GO_VERSIONS:
        B(f"typeref-go{v}", "tool", v, "typeref")
    B("typeref-go1.25.5-386", "tool", "1.25.5", "typeref", arch="386")

def real_world():
    """Setups seen in real builds, each with the rebuilt files of the fix experiments
    (TestBinaries/fixes.tsv): `-fixed` names are the fix that loads, others attempts."""
    wk = lambda *p: os.path.join(WORK, *p)
    # 1. cgo gateway linked statically: dlopen works, the plugin does not join the host's runtime
    static = "-linkmode external -extldflags -static"
    gw("gateway-go1.25.5-static", flags=["-ldflags=" + static])
    gw("gateway-go1.25.5-static-sw", flags=["-ldflags=-s -w " + static])
    gw("gateway-go1.25.5-static-pie", flags=["-buildmode=pie", "-ldflags=-linkmode external -extldflags -static-pie"])
    gw("gateway-go1.25.5-musl-static", cc="musl-gcc", flags=["-ldflags=" + static])
    gw("gateway-go1.25.5-static-fixed", note="the static gateway rebuilt without -extldflags -static (= gateway-go1.25.5)")
    # 2. vendored plugin (go mod vendor, -mod=vendor) against the module-cache gateway
    pl("plugin-handler-go1.25.5-vendor.so", flags=["-mod=vendor"], tree="vendor", setup=[TIDY, VENDOR])
    pl("plugin-handler-go1.25.5-vendor-fixed.so", flags=["-mod=mod"], tree="vendor-fixed", setup=[TIDY, VENDOR])
    pl("plugin-handler-go1.25.5-vendor-trimpath.so", flags=["-mod=vendor", "-trimpath"], tree="vendor-trimpath",
       setup=[TIDY, VENDOR])
    B("gateway-go1.25.5-vendor", "gateway", "1.25.5", "gateway", flags=["-mod=vendor"], tree="vendor-gateway",
      setup=[TIDY, VENDOR])
    # 3. go.work using a local checkout of example.com/shared v1.0.0 (identical content)
    def wsb(name, tree, extra=(), flags=(), env=None, copies=(SHARED_V100,), uses=("./plugins", "./shared")):
        pl(name, flags=flags, tree=tree, sub="plugins", copies=copies, env=dict(WS_ENV, **(env or {})),
           setup=[TIDY, step("go", "work", "init", *uses, at=".")] + list(extra))
    wsb("plugin-handler-go1.25.5-gowork.so", "gowork")
    wsb("plugin-handler-go1.25.5-gowork-fixed.so", "gowork-fixed", env={"GOWORK": "off"})
    wsb("plugin-handler-go1.25.5-gowork-goget.so", "gowork-goget", extra=[step("go", "get", "example.com/shared@v1.0.0")])
    wsb("plugin-handler-go1.25.5-gowork-trimpath.so", "gowork-trimpath", flags=["-trimpath"])
    wsb("plugin-handler-go1.25.5-gowork-dropuse.so", "gowork-dropuse",
        extra=[step("go", "work", "edit", "-dropuse=./shared", at=".")])
    # the gateway built in a workspace too (Tyk's documented flow: go.work using the gateway's checkout)
    B("gateway-go1.25.5-gowork-trimpath", "gateway", "1.25.5", "gateway", flags=["-trimpath"], tree="gowork-gateway",
      sub="gateway", copies=[SHARED_V100], env=WS_ENV, setup=[TIDY, step("go", "work", "init", "./gateway", "./shared", at=".")])
    # golang/go#58639: another module of the workspace requires example.com/shared v1.1.0
    wsb("plugin-handler-go1.25.5-gowork-mvs.so", "gowork-mvs", copies=[("workspace/other", "other")],
        uses=("./plugins", "./other"), extra=[step("go", "mod", "tidy", at="other", env={"GOWORK": "off"})])
    wsb("plugin-handler-go1.25.5-gowork-mvs-fixed.so", "gowork-mvs-fixed", copies=[("workspace/other", "other")],
        uses=("./plugins", "./other"), extra=[step("go", "mod", "tidy", at="other", env={"GOWORK": "off"})],
        env={"GOWORK": "off"})
    # 4a. module cache path (plugin-handler-go1.25.5-modcache-alt.so above)
    pl("plugin-handler-go1.25.5-modcache-alt-fixed.so", note="GOMODCACHE of the gateway (= plugin-handler-go1.25.5.so)")
    pl("plugin-handler-go1.25.5-modcache-alt-trimpath.so", modcache="gomodcache-alt", flags=["-trimpath"])
    # 4b. GOPATH (the module cache defaults to $GOPATH/pkg/mod)
    gw("gateway-go1.25.5-gopath", env={"GOPATH": wk("gopath-gw"), "GOMODCACHE": None})
    pl("plugin-handler-go1.25.5-gopath-alt.so", env={"GOPATH": wk("gopath-alt"), "GOMODCACHE": None})
    pl("plugin-handler-go1.25.5-gopath-alt-fixed.so", env={"GOPATH": wk("gopath-gw"), "GOMODCACHE": None})
    pl("plugin-handler-go1.25.5-gopath-only.so", env={"GOPATH": wk("gopath-alt")},
       note="another GOPATH, the gateway's GOMODCACHE")
    # 4c. build folder: the plugin module elsewhere; a monorepo (replace => ../shared) checked out twice
    pl("plugin-handler-go1.25.5-folder-other.so", tree="folder-other", setup=[TIDY])
    mono = dict(copies=[SHARED_V100], replace_path="../shared", setup=[TIDY])
    B("gateway-go1.25.5-mono", "gateway", "1.25.5", "gateway", tree="mono-a", sub="gateway", **mono)
    pl("plugin-handler-go1.25.5-mono-other.so", tree="mono-b", sub="plugins", **mono)
    pl("plugin-handler-go1.25.5-mono-other-fixed.so", tree="mono-a", sub="plugins", **mono)
    B("gateway-go1.25.5-mono-trimpath", "gateway", "1.25.5", "gateway", flags=["-trimpath"], tree="mono-c",
      sub="gateway", **mono)
    pl("plugin-handler-go1.25.5-mono-other-trimpath.so", flags=["-trimpath"], tree="mono-d", sub="plugins", **mono)
    # the same toolchain installed at another path (GOROOT)
    pl("plugin-handler-go1.25.5-goroot-alt.so", goroot="alt")
    # 5. the old idiom -gcflags=all=-trimpath=$PWD (the build runs in src/plugins, src/gateway)
    pwd, gpwd = os.path.join(SRC, "plugins"), os.path.join(SRC, "gateway")
    pl("plugin-handler-go1.25.5-gcflags-trimpath-pwd.so", flags=[f"-gcflags=all=-trimpath={pwd}", f"-asmflags=all=-trimpath={pwd}"])
    pl("plugin-handler-go1.25.5-asmflags-trimpath-pwd.so", flags=[f"-asmflags=all=-trimpath={pwd}"])
    gw("gateway-go1.25.5-gcflags-trimpath-pwd", flags=[f"-gcflags=all=-trimpath={gpwd}", f"-asmflags=all=-trimpath={gpwd}"])
    pl("plugin-handler-go1.25.5-gcflags-trimpath-pwd-fixed.so", note="the flags dropped (= plugin-handler-go1.25.5.so)")
    # 6. VCS stamping, -X on the gateway
    pl("plugin-handler-go1.25.5-buildvcs.so", flags=["-buildvcs=true"], tree="vcs-plugin", setup=[TIDY, GIT])
    pl("plugin-handler-go1.25.5-buildvcs-false.so", flags=["-buildvcs=false"], tree="vcs-plugin-false", setup=[TIDY, GIT])
    B("gateway-go1.25.5-buildvcs", "gateway", "1.25.5", "gateway", flags=["-buildvcs=true"], tree="vcs-gateway",
      setup=[TIDY, GIT])
    gw("gateway-go1.25.5-ldflags-X", flags=["-ldflags=-X main.Version=2.9.0 -X runtime.buildVersion=go1.25.5-custom"],
       note="-X on the gateway's main (no such variable: ignored) and on runtime.buildVersion (a package plugins link too)")
    # 7. Tyk's reload problem (TykTechnologies/tyk#5784): another build of the same module is
    # "already loaded"; another module path in go.mod loads
    pl("plugin-handler-go1.25.5-module-renamed.so", module="example.com/plugins-v2")

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

def rel(path):
    return os.path.relpath(path, ROOT) if path.startswith(ROOT + os.sep) else path

def modfile(b):
    with open(os.path.join(SRC, b["src"], "go.mod")) as f:
        module = f.readline().split()[1]
    module = b.get("module") or module
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
    elif b.get("replace_path"):
        text += f"\nreplace example.com/shared => {b['replace_path']}\n"
    return module, req, text

def go_env(b):
    e = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "TMPDIR", "LANG")}
    gb = gobin(b["go"], b.get("goroot"))
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
    if b.get("tree"):
        e["GOFLAGS"] = "-modcacherw -buildvcs=false"
    e.update(b["env"])
    return {k: v for k, v in e.items() if v is not None}

def tree_dirs(b):
    root = os.path.join(TREE, b["tree"])
    return root, os.path.join(root, b["sub"]) if b["sub"] else root

GIT_ENV = {"GIT_AUTHOR_NAME": "fixtures", "GIT_AUTHOR_EMAIL": "fixtures@example.com",
           "GIT_COMMITTER_NAME": "fixtures", "GIT_COMMITTER_EMAIL": "fixtures@example.com",
           "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
           "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}

def step_text(st):
    if st.get("git"):
        return "git init && git add -A && git commit -m fixture (in the checkout root)"
    where = "" if st["at"] is None else f"(in {st['at']}) "
    env = "".join(f"{k}={v} " for k, v in sorted(st["env"].items()))
    return where + env + " ".join(st["run"])

def prepare_tree(b):
    """Copies the sources of a tree build and runs its setup steps (serially, before the builds)."""
    root, mdir = tree_dirs(b)
    if os.path.isdir(mdir) and mdir != root:
        shutil.rmtree(mdir)
    elif os.path.isdir(root) and mdir == root:
        shutil.rmtree(root)
    shutil.copytree(os.path.join(SRC, b["src"]), mdir)
    for s, d in b["copies"]:
        shutil.copytree(os.path.join(SRC, s), os.path.join(root, d), dirs_exist_ok=True)
    with open(os.path.join(mdir, "go.mod"), "w") as f:
        f.write(modfile(b)[2])
    env = go_env(b)
    for st in b["setup"]:
        if st.get("git"):
            genv = dict(env, **GIT_ENV)
            for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
                        ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "fixture"]):
                sh(cmd, cwd=root, env=genv, stdout=subprocess.DEVNULL)
            continue
        cwd = mdir if st["at"] is None else os.path.join(root, st["at"])
        argv = [gobin(b["go"], b.get("goroot")) if a == "go" else a for a in st["run"]]
        senv = {k: v for k, v in dict(env, **st["env"]).items() if v is not None}
        r = subprocess.run(argv, cwd=cwd, env=senv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"setup of {b['name']} failed: {step_text(st)}\n{r.stdout}")

def prepare_goroot(ver):
    """The toolchain at another path: a hard-linked copy (a plain copy across file systems)."""
    dst = os.path.dirname(os.path.dirname(os.path.dirname(gobin(ver, "alt"))))
    src = os.path.dirname(os.path.dirname(os.path.dirname(gobin(ver))))
    version = lambda d: open(os.path.join(d, "VERSION")).read() if os.path.exists(os.path.join(d, "VERSION")) else None
    if os.path.isdir(dst) and version(dst) == version(src):
        return
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if subprocess.run(["cp", "-al", src, dst], stderr=subprocess.DEVNULL).returncode != 0:
        shutil.rmtree(dst, ignore_errors=True)
        sh(["cp", "-a", src, dst])

def build_one(b):
    t0 = time.time()
    module, req, text = modfile(b)
    out = os.path.join(BIN, b["name"])
    if b["tree"]:
        cwd = tree_dirs(b)[1]
        cmd = [gobin(b["go"], b["goroot"]), "build"] + b["flags"] + ["-o", out, b["pkg"]]
    else:
        cwd = os.path.join(SRC, b["src"])
        mdir = os.path.join(WORK, "mod", b["name"])
        os.makedirs(mdir, exist_ok=True)
        mf = os.path.join(mdir, "go.mod")
        with open(mf, "w") as f:
            f.write(text)
        cmd = [gobin(b["go"], b["goroot"]), "build", "-modfile=" + mf] + b["flags"] + ["-o", out, b["pkg"]]
    env = go_env(b)
    r = subprocess.run(cmd, cwd=cwd, env=env,
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
        "env": {k: (env[k] if k in env else "(unset)") for k in sorted(b["env"])},
        "module": module,
        "package": b["pkg"],
        "source": "TestBinaries/src/" + b["src"],
        "modules": {m: v for m, v in req},
        "replace": ({"example.com/shared": "TestBinaries/src/replace/" + b["replace"]}
                    if b["replace"] else {"example.com/shared": b["replace_path"]} if b["replace_path"] else {}),
        "gomodcache": rel(env.get("GOMODCACHE") or os.path.join(env["GOPATH"], "pkg", "mod")),
        "trimpath": "-trimpath" in b["flags"],
        "command": "go build -modfile=<generated> " + " ".join(b["flags"]) + " -o " + b["name"] + " " + b["pkg"],
    }
    if b["tree"]:
        entry["tree"] = rel(cwd)
        entry["setup"] = [step_text(st) for st in b["setup"]]
        entry["command"] = f"cd {rel(cwd)} && go build " + " ".join(b["flags"]) + " -o " + b["name"] + " " + b["pkg"]
    if b["goroot"]:
        entry["goroot"] = rel(os.path.dirname(os.path.dirname(gobin(b["go"], b["goroot"]))))
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
    if not only and os.path.isdir(TREE):
        shutil.rmtree(TREE)
    for b in builds:
        if b["goroot"]:
            prepare_goroot(b["go"])
        if b["tree"]:
            prepare_tree(b)
    # Put the first build of each expensive configuration early, so both workers stay busy.
    t0 = time.time()
    entries = []
    # Two waves: first one build per standard-library configuration (so two
    # workers never compile the same std at once), then the rest.
    def key(b):
        fl = [f for f in b["flags"] if f.startswith(("-buildmode", "-race", "-trimpath", "-gcflags=all", "-asmflags=all"))]
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
