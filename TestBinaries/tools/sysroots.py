#!/usr/bin/env python3
"""The target-root oracle: builds the fixtures of TestBinaries/src/sysroot/ and runs their
gateway INSIDE the unpacked target roots that scripts/sysroots makes (chroot), recording what
the real loader of that root says to each plugin.

Roots (TestBinaries/work/sysroots/, ignored): `bullseye` (Debian 11, glibc 2.31, with
libc6-dev so that gcc can link against it) and `musl` (Debian's musl package unpacked: the
loader /lib/ld-musl-x86_64.so.1 and nothing else).

Builds into TestBinaries/work/sysroot-out/bin/ (Go 1.25.5 from .toolchains, -trimpath, offline):
  gateway-bullseye              cgo, linked against the bullseye root (gcc --sysroot ...)
  gateway-musl                  cgo, musl-gcc
  plugin-handler-host.so        standard library only, built against this machine's glibc
  plugin-handler-bullseye.so    the same source, linked against the bullseye root
  plugin-handler-musl.so        the same source, musl-gcc
  plugin-cgoundef-bullseye.so   calls pc_missing_function, which nothing defines
  plugin-cgolib-bullseye.so     NEEDED libpcfoo.so.1, DT_RUNPATH $ORIGIN/lib
  plugin-cgolib-musl.so         the same with musl-gcc
  plugin-cgobar-bullseye.so     NEEDED libpcbar.so.1 (DT_RUNPATH $ORIGIN/lib), whose own call of
                                pc_nowhere nothing defines
  plugin-cgobar-musl.so         the same with musl-gcc
  plugin-fortified-bullseye.so  C code with _FORTIFY_SOURCE=2 against the bullseye root (__snprintf_chk)
  libpcfoo.so.1                 the C library (no libc dependency)
  libpcbar.so.1                 the C library with an undefined symbol

Each case's files are laid out in TestBinaries/work/sysroot-out/cases/<id>/ and copied to
/pc-run/<id>/ inside the root; the gateway runs as `chroot ROOT /pc-run/<id>/gateway
/pc-run/<id>/<plugin>...` (a root path, as the gateway's configuration names plugins), and
the copy is removed. Paths in the record: the case directory is <CASE>.

Then the deployment inside an image (IMAGE_CASES): the musl root with the gateway as
/usr/bin/krakend (the image's entrypoint), a KrakenD configuration in its working directory
/etc/krakend and a plugin folder beside it, built with umoci into
TestBinaries/work/images/<id>-oci (and skopeo's docker-archive <id>-docker.tar); the image is
unpacked again with umoci and the gateway run in that root as the image would run it
(chroot, then the working directory, then entrypoint + command). Paths in the record are the
image's own.

Writes TestBinaries/work/sysroot-out/sysroot-oracle.json; with --update (or when the committed
copy is missing) also TestBinaries/sysroot-oracle.json; otherwise prints the cases whose record
differs from the committed copy and exits 1. Needs root (chroot).
"""
import hashlib, json, os, shutil, subprocess, sys

TB = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(TB)
SRC = os.path.join(TB, "src", "sysroot")
ROOTS = os.path.join(TB, "work", "sysroots")
OUT = os.path.join(TB, "work", "sysroot-out")
BIN = os.path.join(OUT, "bin")
CASES_DIR = os.path.join(OUT, "cases")
COMMITTED = os.path.join(TB, "sysroot-oracle.json")
GO = os.path.join(ROOT, ".toolchains", "go1.25.5", "go", "bin", "go")
BULLSEYE = os.path.join(ROOTS, "bullseye")
MUSL = os.path.join(ROOTS, "musl")
TRIPLET = "x86_64-linux-gnu"

CASES = [
    # id, varies, root, gateway, plugins, extra files (case path -> bin file)
    ("bullseye-loads", "plugin linked against the bullseye root: loads there", "bullseye",
     "gateway-bullseye", ["plugin-handler-bullseye.so"], {}),
    ("bullseye-glibc-too-new", "plugin built on this machine (glibc 2.36, needs GLIBC_2.34) on glibc 2.31",
     "bullseye", "gateway-bullseye", ["plugin-handler-host.so"], {}),
    ("bullseye-undefined-symbol", "cgo plugin calling a C function nothing defines", "bullseye",
     "gateway-bullseye", ["plugin-cgoundef-bullseye.so"], {}),
    ("bullseye-missing-library", "plugin needing libpcfoo.so.1, which the root lacks", "bullseye",
     "gateway-bullseye", ["plugin-cgolib-bullseye.so"], {}),
    ("bullseye-origin-library", "the same plugin with libpcfoo.so.1 deployed in $ORIGIN/lib", "bullseye",
     "gateway-bullseye", ["plugin-cgolib-bullseye.so"], {"lib/libpcfoo.so.1": "libpcfoo.so.1"}),
    ("bullseye-order", "a failing plugin, then one that loads, in one gateway process", "bullseye",
     "gateway-bullseye", ["plugin-cgoundef-bullseye.so", "plugin-handler-bullseye.so"], {}),
    ("musl-loads", "musl plugin in a musl root", "musl", "gateway-musl", ["plugin-handler-musl.so"], {}),
    ("musl-missing-library", "musl plugin needing libpcfoo.so.1, which the root lacks", "musl",
     "gateway-musl", ["plugin-cgolib-musl.so"], {}),
    ("musl-origin-library", "the same with libpcfoo.so.1 in $ORIGIN/lib", "musl", "gateway-musl",
     ["plugin-cgolib-musl.so"], {"lib/libpcfoo.so.1": "libpcfoo.so.1"}),
    ("bullseye-fortified", "fortified cgo plugin (__snprintf_chk) linked against the bullseye root", "bullseye",
     "gateway-bullseye", ["plugin-fortified-bullseye.so"], {}),
    ("musl-fortified", "the same glibc-fortified plugin in the musl root", "musl", "gateway-musl",
     ["plugin-fortified-bullseye.so"], {}),
    ("bullseye-library-undefined-symbol", "plugin whose C library (in $ORIGIN/lib) calls a function nothing defines",
     "bullseye", "gateway-bullseye", ["plugin-cgobar-bullseye.so"], {"lib/libpcbar.so.1": "libpcbar.so.1"}),
    ("musl-library-undefined-symbol", "the same built with musl-gcc, in the musl root", "musl", "gateway-musl",
     ["plugin-cgobar-musl.so"], {"lib/libpcbar.so.1": "libpcbar.so.1"}),
]


IMAGES = os.path.join(TB, "work", "images")
# id, varies, root, the image's files (path in the image -> bin file, or "text:..." / "dir" /
# "link:target"), the configuration (path in the image, JSON), entrypoint, command, working directory
IMAGE_CASES = [
    ("image-krakend-musl", "KrakenD-like image: gateway, configuration and plugin folder inside the image", "musl",
     {"/usr/bin/krakend": "gateway-musl",
      "/etc/krakend/plugins/a-handler.so": "plugin-handler-musl.so",
      "/etc/krakend/plugins/b-cgolib.so": "plugin-cgolib-musl.so",
      "/etc/krakend/plugins/c-notes.so.txt": "text:not a plugin, but its name contains .so\n",
      "/etc/krakend/plugins/d-vendored.so": "link:/opt/vendor/cgolib.so",
      "/etc/krakend/plugins/e-folder.so": "dir",
      "/opt/vendor/cgolib.so": "plugin-cgolib-musl.so",
      "/opt/vendor/lib/libpcfoo.so.1": "libpcfoo.so.1"},
     ("/etc/krakend/krakend.json", {"version": 3, "plugin": {"folder": "./plugins/", "pattern": ".so"}}),
     ["/usr/bin/krakend"], ["-c", "krakend.json"], "/etc/krakend"),
]


def run(cmd, env=None, cwd=None):
    r = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(f"sysroots: {' '.join(cmd)} failed:\n{r.stdout}{r.stderr}")
        sys.exit(1)
    return r


def inside(root, path, depth=0):
    """`path` of the root resolved as the root's own programs see it: absolute symlinks
    (bullseye's /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/ld-2.31.so) stay inside."""
    parts, out = [p for p in path.split("/") if p], ""
    while parts:
        out += "/" + parts.pop(0)
        full = root + out
        if os.path.islink(full):
            if depth > 40:
                sys.exit(f"sysroots: symlink loop at {full}")
            t = os.readlink(full)
            out = inside(root, (t if t.startswith("/") else os.path.dirname(out) + "/" + t) + "/" + "/".join(parts), depth + 1)[len(root):]
            parts = []
    return root + out


def sysroot_cc(root):
    """gcc linking against `root`. ld opens the root's files through the host's file system,
    where the root's absolute symlinks and the absolute paths of its libc.so script point at
    THIS machine's glibc (which would link silently against glibc 2.36): a folder of linker
    inputs resolved inside the root comes first."""
    fix = os.path.join(OUT, "link-" + os.path.basename(root))
    shutil.rmtree(fix, ignore_errors=True)
    os.makedirs(fix)
    libdir = f"/lib/{TRIPLET}"
    with open(os.path.join(fix, "libc.so"), "w") as f:
        f.write(f"OUTPUT_FORMAT(elf64-x86-64)\nGROUP ( {inside(root, libdir + '/libc.so.6')} "
                f"{inside(root, '/usr' + libdir + '/libc_nonshared.a')} AS_NEEDED ( {inside(root, '/lib64/ld-linux-x86-64.so.2')} ) )\n")
    for name in ("libpthread.so.0", "libdl.so.2"):
        os.symlink(inside(root, libdir + "/" + name), os.path.join(fix, name.rsplit(".", 1)[0]))
    lib = inside(root, "/usr" + libdir)
    return f"gcc --sysroot={root} -B{lib}/ -L{fix} -L{lib}"


def go_env(cc):
    work = os.path.join(OUT, "go")
    return dict(os.environ, CGO_ENABLED="1", CC=cc, GOTOOLCHAIN="local", GOFLAGS="-trimpath -mod=mod",
                GOCACHE=os.path.join(work, "cache"), GOPATH=os.path.join(work, "path"), GOPROXY="off",
                GOTELEMETRY="off", GOAMD64="v1", CGO_LDFLAGS=f"-L{BIN}")


def stamp():
    h = hashlib.sha256()
    for base, _, files in sorted(os.walk(SRC)):
        for f in sorted(files):
            p = os.path.join(base, f)
            h.update(os.path.relpath(p, SRC).encode() + b"\0" + open(p, "rb").read())
    h.update(open(__file__, "rb").read())
    for r in (BULLSEYE, MUSL):
        h.update(str(os.stat(os.path.join(r, ".ready")).st_mtime_ns).encode())
    return h.hexdigest()


def build():
    for r in (BULLSEYE, MUSL):
        if not os.path.exists(os.path.join(r, ".ready")):
            sys.exit(f"sysroots: {r} missing: run scripts/sysroots")
    st = os.path.join(OUT, ".stamp")
    want = stamp()
    if os.path.exists(st) and open(st).read() == want:
        return
    shutil.rmtree(BIN, ignore_errors=True)
    os.makedirs(BIN)
    run(["gcc", "-shared", "-fPIC", "-nostdlib", "-O2", "-Wl,-soname,libpcfoo.so.1", "-o",
         os.path.join(BIN, "libpcfoo.so.1"), os.path.join(SRC, "clib", "pcfoo.c")])
    os.symlink("libpcfoo.so.1", os.path.join(BIN, "libpcfoo.so"))
    run(["gcc", "-shared", "-fPIC", "-nostdlib", "-O2", "-Wl,-soname,libpcbar.so.1", "-o",
         os.path.join(BIN, "libpcbar.so.1"), os.path.join(SRC, "clib", "pcbar.c")])
    os.symlink("libpcbar.so.1", os.path.join(BIN, "libpcbar.so"))
    bull, host, musl = go_env(sysroot_cc(BULLSEYE)), go_env("gcc"), go_env("musl-gcc")
    builds = [
        ("gateway-bullseye", "./gateway", bull, []),
        ("gateway-musl", "./gateway", musl, []),
        ("plugin-handler-host.so", "./plugins/handler", host, ["-buildmode=plugin"]),
        ("plugin-handler-bullseye.so", "./plugins/handler", bull, ["-buildmode=plugin"]),
        ("plugin-handler-musl.so", "./plugins/handler", musl, ["-buildmode=plugin"]),
        ("plugin-cgoundef-bullseye.so", "./plugins/cgoundef", bull, ["-buildmode=plugin"]),
        ("plugin-cgolib-bullseye.so", "./plugins/cgolib", bull, ["-buildmode=plugin"]),
        ("plugin-cgolib-musl.so", "./plugins/cgolib", musl, ["-buildmode=plugin"]),
        ("plugin-cgobar-bullseye.so", "./plugins/cgobar", bull, ["-buildmode=plugin"]),
        ("plugin-cgobar-musl.so", "./plugins/cgobar", musl, ["-buildmode=plugin"]),
        ("plugin-fortified-bullseye.so", "./plugins/fortified", bull, ["-buildmode=plugin"]),
    ]
    for name, pkg, env, flags in builds:
        run([GO, "build", *flags, "-o", os.path.join(BIN, name), pkg], env=env, cwd=SRC)
    with open(st, "w") as f:
        f.write(want)


def layout(case):
    cid, _, _, gateway, plugins, extras = case
    d = os.path.join(CASES_DIR, cid)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for name, src in [(gateway, gateway)] + [(p, p) for p in plugins] + list(extras.items()):
        os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
        shutil.copy2(os.path.join(BIN, src), os.path.join(d, name))
    return d


def run_case(case):
    cid, varies, root_name, gateway, plugins, extras = case
    d = layout(case)
    root = os.path.join(ROOTS, root_name)
    inside = "/pc-run/" + cid
    target = root + inside
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(d, target, symlinks=True)
    try:
        r = subprocess.run([shutil.which("chroot") or "/usr/sbin/chroot", root, inside + "/" + gateway] + [inside + "/" + p for p in plugins],
                           capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    finally:
        shutil.rmtree(os.path.join(root, "pc-run"), ignore_errors=True)
    results = []
    seen = {}
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if len(f) == 4 and f[0] == "PLUGIN":
            seen[f[1]] = f
    for p in plugins:
        f = seen.get(inside + "/" + p)
        res = {"plugin": p}
        if f is None:
            res.update(outcome="crash", stderr=r.stderr.strip().replace(inside, "<CASE>")[-400:])
        elif f[2] == "loaded":
            res.update(outcome="loaded", registerers=[] if f[3] == "-" else f[3].split(","))
        else:
            res.update(outcome="error", error=f[3].replace("\\n", "\n").replace(inside, "<CASE>"))
        results.append(res)
    return {"id": cid, "varies": varies, "root": root_name, "gateway": gateway, "plugins": plugins,
            "extras": extras, "command": ["chroot", "<ROOT>", "<CASE>/" + gateway] + ["<CASE>/" + p for p in plugins],
            "results": results, "gatewayExitStatus": r.returncode}


def build_image(case):
    """The image of an IMAGE_CASES entry, built with umoci (OCI layout) and skopeo (docker-archive)."""
    cid, _, root_name, files, (config_path, config), entrypoint, command, workdir = case
    oci, tar = os.path.join(IMAGES, cid + "-oci"), os.path.join(IMAGES, cid + "-docker.tar")
    bundle = os.path.join(IMAGES, cid + ".bundle")
    for p in (oci, tar, bundle):
        shutil.rmtree(p, ignore_errors=True) if os.path.isdir(p) else (os.path.exists(p) and os.remove(p))
    run(["umoci", "init", "--layout", oci])
    run(["umoci", "new", "--image", oci + ":latest"])
    run(["umoci", "unpack", "--image", oci + ":latest", bundle])
    rootfs = os.path.join(bundle, "rootfs")
    run(["cp", "-a", os.path.join(ROOTS, root_name) + "/.", rootfs + "/"])
    os.remove(os.path.join(rootfs, ".ready"))
    for path, what in list(files.items()) + [(config_path, None)]:
        dest = rootfs + path
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if what is None:
            with open(dest, "w") as f:
                json.dump(config, f)
        elif what == "dir":
            os.makedirs(dest, exist_ok=True)
        elif what.startswith("text:"):
            with open(dest, "w") as f:
                f.write(what[5:])
        elif what.startswith("link:"):
            os.symlink(what[5:], dest)
        else:
            shutil.copy2(os.path.join(BIN, what), dest)
    run(["umoci", "repack", "--image", oci + ":latest", bundle])
    shutil.rmtree(bundle)
    cfg = ["umoci", "config", "--image", oci + ":latest", "--config.workingdir", workdir,
           "--config.env", "PATH=/usr/bin:/bin"]
    for e in entrypoint:
        cfg += ["--config.entrypoint", e]
    for c in command:
        cfg += ["--config.cmd", c]
    run(cfg)
    run(["umoci", "gc", "--layout", oci])
    run(["skopeo", "copy", "-q", "oci:" + oci + ":latest", "docker-archive:" + tar + ":plugincheck/" + cid + ":latest"])
    return oci


def run_image_case(case):
    cid, varies, root_name, files, (config_path, config), entrypoint, command, workdir = case
    oci = build_image(case)
    # What ran is what the image holds: unpacked again from the final image.
    bundle = os.path.join(IMAGES, cid + ".run")
    shutil.rmtree(bundle, ignore_errors=True)
    run(["umoci", "unpack", "--image", oci + ":latest", bundle])
    rootfs = os.path.join(bundle, "rootfs")

    def enter():
        os.chroot(rootfs)
        os.chdir(workdir)
    try:
        r = subprocess.run(entrypoint + command, capture_output=True, text=True, timeout=60,
                           env={"PATH": "/usr/bin:/bin"}, preexec_fn=enter)
    finally:
        shutil.rmtree(bundle, ignore_errors=True)
    results = []
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if len(f) == 4 and f[0] == "PLUGIN":
            res = {"plugin": f[1]}
            if f[2] == "loaded":
                res.update(outcome="loaded", registerers=[] if f[3] == "-" else f[3].split(","))
            else:
                res.update(outcome="error", error=f[3].replace("\\n", "\n"))
            results.append(res)
    return {"id": cid, "varies": varies, "root": root_name, "files": files, "configuration": {config_path: config},
            "entrypoint": entrypoint, "command": command, "workingDir": workdir,
            "results": results, "gatewayExitStatus": r.returncode, "stderr": r.stderr.strip()[-400:]}


def main():
    update = "--update" in sys.argv[1:]
    if os.geteuid() != 0:
        sys.exit("sysroots: needs root (chroot)")
    build()
    doc = {"generatedBy": "TestBinaries/tools/sysroots.py (scripts/sysroots, then scripts/fixtures)",
           "placeholder": "<CASE>",
           "roots": {"bullseye": "debootstrap --variant=minbase --include=libc6-dev bullseye (glibc 2.31)",
                     "musl": "Debian bookworm's musl package, dpkg-deb -x"},
           "cases": [run_case(c) for c in CASES],
           "imageCases": [run_image_case(c) for c in IMAGE_CASES]}
    text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    with open(os.path.join(OUT, "sysroot-oracle.json"), "w") as f:
        f.write(text)
    if update or not os.path.exists(COMMITTED):
        with open(COMMITTED, "w") as f:
            f.write(text)
        print(f"sysroots: wrote {os.path.relpath(COMMITTED, ROOT)} ({len(CASES)} cases, {len(IMAGE_CASES)} image cases)")
        return
    old = {c["id"]: c for c in json.load(open(COMMITTED))["cases"]}
    old.update({c["id"]: c for c in json.load(open(COMMITTED)).get("imageCases", [])})
    bad = [c["id"] for c in doc["cases"] + doc["imageCases"] if old.get(c["id"]) != c]
    if bad:
        print("sysroots: differs from the committed record: " + ", ".join(bad))
        print("sysroots: if the change is expected, run TestBinaries/tools/sysroots.py --update")
        sys.exit(1)
    print(f"sysroots: {len(CASES)} cases and {len(IMAGE_CASES)} image cases agree with {os.path.relpath(COMMITTED, ROOT)}")


if __name__ == "__main__":
    main()
