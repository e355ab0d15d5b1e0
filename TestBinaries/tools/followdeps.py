#!/usr/bin/env python3
"""Follows `plugincheck deps --fix` literally, builds the plugin and lets the real gateway judge it.

    followdeps.py PLUGINCHECK [--update]

For every single-plugin case of TestBinaries/cases.tsv whose recorded outcome
(TestBinaries/oracle.json) is a plugin that fails or crashes, runs `PLUGINCHECK deps --format json`
on the plugin's module folder the way Tests/DepsTests/DepsMatrixAgreementTests.swift does (the
build's toolchain as -g, its C library as -l, its flags as --flags, its environment). Where the
verdict is MISALIGNED, the module folder is copied to a scratch folder (a tree build: the whole
checkout, so go.work and folder replaces keep their places; a build with a generated go.mod: the
plugin sources with that go.mod written into them, a real module folder), `deps --fix` runs there
and its script runs with sh. The build then runs as the fixture did (tools/fixtures.py's
environment, flags and toolchain) with what the script says beyond go.mod applied:
`export NAME=VALUE` lines set the build's environment (`GOTOOLCHAIN=goX.Y.Z` picks that toolchain
of .toolchains/, as the go command would download it), `# build with(out) -trimpath/-race`
comments add or drop the flag, and a `toolchain` line in go.mod newer than the build's Go selects
that toolchain (GOTOOLCHAIN=auto's switch, without the network). The gateway of the case runs
the rebuilt plugin, as oracle.py runs it; it must load.

A copy is enough: without -trimpath the folders of dependencies are in the fingerprints, but the
main module's own folder is shared with no gateway. A module whose go.mod or go.work has a
relative replace is fixed and built in place instead (its folder restored afterwards), so that
the replaced folder stays the one the gateway may share.

Writes out/followdeps.json; with --update, or when it is missing, also TestBinaries/followdeps.json.
Otherwise prints the differences from the committed copy. Exit status 1 when a followed fix does
not load (a wrong fix, whatever the committed copy says).
"""
import json, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx   # noqa: E402
from records import norm, publish   # noqa: E402
import oracle           # noqa: E402

TB, OUT, BIN = fx.TB, fx.OUT, fx.BIN
fx.WORK = os.path.realpath(fx.WORK)
fx.TREE = os.path.join(fx.WORK, "tree")
DEST = os.path.join(OUT, "followdeps")


def deps_env(b):
    """The environment DepsMatrixAgreementTests gives deps for that build."""
    e = {"HOME": os.environ.get("HOME", "/root"), "PATH": "/usr/bin:/bin"}
    e["GOFLAGS"] = "-modcacherw -buildvcs=false" if b["tree"] else "-mod=mod -modcacherw -buildvcs=false"
    if not b["tree"]:
        e["GOWORK"] = "off"
    e["GOMODCACHE"] = os.path.join(fx.WORK, b["modcache"] or "gomodcache")
    for k, v in b["env"].items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    if "GOPATH" in b["env"] and b["env"]["GOPATH"] and "GOMODCACHE" not in b["env"] and not b["modcache"]:
        e["GOMODCACHE"] = b["env"]["GOPATH"] + "/pkg/mod"
    e["GOARCH"] = b["arch"]
    e["CC"] = b["cc"]
    return e


def toolchain_version(go):
    """The `go version` of a build's toolchain, without running it."""
    if go == "1.19":
        return "go1.19.8"
    return "go" + go


def deps(tool, b, folder, gateway, fix=False, env=None):
    flags = [f for f in b["flags"] if f != "-buildmode=plugin"]
    argv = [tool, "deps", "--gateway", gateway, "-g", toolchain_version(b["go"]),
            "-l", "musl" if "musl" in b["cc"] else "glibc"]
    if flags:
        argv.append("--flags=" + " ".join(flags))
    argv += ["--fix"] if fix else ["--format", "json"]
    argv.append(folder)
    r = subprocess.run(argv, cwd=folder if os.path.isdir(folder) else None, env=dict(deps_env(b), **(env or {})),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r


def relative_replace(folder, root):
    for d in {folder, root}:
        for n in ("go.mod", "go.work"):
            p = os.path.join(d, n)
            if os.path.exists(p) and re.search(r"=>\s*\.\.?/", open(p).read()):
                return True
    return False


def module_folder(b, scratch):
    """(folder deps and the build run in, in place?, restore function)."""
    if b["tree"]:
        root, mdir = fx.tree_dirs(b)
        if relative_replace(mdir, root):
            backup = os.path.join(scratch, "backup")
            shutil.copytree(root, backup, symlinks=True)

            def restore():
                shutil.rmtree(root)
                shutil.copytree(backup, root, symlinks=True)
            return mdir, True, restore
        copy = os.path.join(scratch, b["tree"])
        shutil.copytree(root, copy, symlinks=True)
        return os.path.join(copy, b["sub"]) if b["sub"] else copy, False, lambda: None
    _, _, text = fx.modfile(b)
    if re.search(r"=>\s*\.\.?/", text):
        raise RuntimeError("a relative replace in a generated go.mod")
    copy = os.path.join(scratch, b["name"])
    shutil.copytree(os.path.join(fx.SRC, b["src"]), copy)
    with open(os.path.join(copy, "go.mod"), "w") as f:
        f.write(text)
    # The go.sum the fixture's build wrote next to its generated go.mod.
    out = b["name"]
    gosum = os.path.join(fx.WORK, "mod", out, "go.sum")
    if os.path.exists(gosum):
        shutil.copy(gosum, os.path.join(copy, "go.sum"))
    return copy, False, lambda: None


def gomod_toolchain(folder):
    p = os.path.join(folder, "go.mod")
    m = re.search(r"^toolchain\s+(go\S+)", open(p).read(), re.M) if os.path.exists(p) else None
    return m.group(1) if m else None


def vkey(v):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def go_for(version):
    """The toolchain binary of `go1.X.Y`, as GOTOOLCHAIN would fetch it."""
    if version.startswith("go1.19"):
        return "1.19"
    return version[2:]


def follow(tool, case, b, gateway, scratch):
    row = {"case": case["id"], "plugin": b["name"]}
    folder, in_place, restore = module_folder(b, scratch)
    try:
        r = deps(tool, b, folder, gateway)
        report = json.loads(r.stdout)
        row["verdict"] = report["verdict"]
        row["depsExit"] = r.returncode
        if report["verdict"] != "misaligned":
            row["followed"] = False
            return row, None
        row["findings"] = sorted({f"{f['check']} {f.get('module') or ''}".strip() for f in report["findings"] if f["severity"] != "info"})
        s = deps(tool, b, folder, gateway, fix=True)
        script = s.stdout
        row["script"] = [norm(l, scratch) for l in script.splitlines()[3:]]
        row["inPlace"] = in_place
        row["depsFixExit"] = s.returncode
        # What no script can do: recorded, not followed.
        manual = [l for l in script.splitlines() if l.startswith("# the gateway must change") or l.startswith("# by hand")]
        if manual:
            row["followed"] = False
            row["needs"] = "the gateway" if any(l.startswith("# the gateway") for l in manual) else "a step by hand"
            return row, None
        env = fx.go_env(b)
        rs = subprocess.run(["sh", "-c", script], cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if rs.returncode != 0:
            row["outcome"] = "script failed"
            return row, f"the script exits {rs.returncode}: {rs.stdout}"
        go, flags = b["go"], list(b["flags"])
        for line in script.splitlines():
            m = re.match(r"export (\w+)=(.*)$", line)
            if m and m.group(1) == "GOTOOLCHAIN":
                go = go_for(m.group(2))
            elif m:
                env[m.group(1)] = m.group(2).strip("'")
            m = re.match(r"# build (with|without) (-trimpath|-race)\b", line)
            if m:
                flags = [f for f in flags if f != m.group(2)] + ([m.group(2)] if m.group(1) == "with" else [])
            m = re.match(r"# build with -mod=(\w+)", line)
            if m:
                flags = [f for f in flags if not f.startswith("-mod=")] + ["-mod=" + m.group(1)]
            m = re.match(r"# build (with|without) -gcflags(=\S+)?", line)
            if m:
                flags = [f for f in flags if not f.startswith("-gcflags")] + (["-gcflags" + m.group(2)] if m.group(1) == "with" else [])
            m = re.match(r"# build with (go1\.[0-9.]+):", line)
            if m:
                go = go_for(m.group(1))
        tl = gomod_toolchain(folder)
        if tl and vkey(tl) > vkey(toolchain_version(go)):
            go = go_for(tl)
        gb = fx.gobin(go, b.get("goroot") if go == b["go"] else None)
        env["PATH"] = os.path.dirname(gb) + ":" + env["PATH"].split(":", 1)[1]
        row["build"] = {"go": toolchain_version(go), "flags": [norm(f) for f in flags],
                        "environment": {k: norm(v) for k, v in env.items() if k != "PATH" and v != fx.go_env(b).get(k)}}
        out = os.path.join(DEST, b["name"])
        rb = subprocess.run([gb, "build"] + flags + ["-o", out, b["pkg"]], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if rb.returncode != 0:
            row["outcome"] = "build failed"
            return row, f"the build fails: {rb.stdout}"
        again = dict(case, plugins=["../followdeps/" + b["name"]])
        res, _ = oracle.run_once(again)
        mine = res["results"][0]
        row["outcome"] = oracle.outcome_text(mine).replace("`", "")
        # deps on the fixed module: the fix leaves nothing it can see.
        base = fx.go_env(b)
        changed = {k: v for k, v in env.items() if v != base.get(k) and k in ("GOWORK", "GOARCH", "CC", "GOEXPERIMENT", "GOMODCACHE")}
        after = deps(tool, dict(b, go=go, flags=flags, arch=changed.get("GOARCH", b["arch"]), cc=changed.get("CC", b["cc"])), folder, gateway, env=changed)
        row["verdictAfter"] = json.loads(after.stdout)["verdict"]
        return row, None if mine["outcome"] == "loaded" else f"following the script gives {row['outcome']}"
    finally:
        restore()


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool, update = os.path.abspath(sys.argv[1]), "--update" in sys.argv[2:]
    fx.define()
    builds = {b["name"]: b for b in fx.BUILDS}
    committed_cases = {c["id"]: c for c in json.load(open(os.path.join(TB, "oracle.json")))["cases"]}
    shutil.rmtree(DEST, ignore_errors=True)
    os.makedirs(DEST)
    rows, wrong = [], []
    for case in oracle.read_cases():
        rec = committed_cases.get(case["id"])
        if not rec or len(case["plugins"]) != 1 or rec["results"][0]["outcome"] == "loaded":
            continue
        b = builds.get(case["plugins"][0])
        if not b or b["role"] != "plugin":
            continue
        with tempfile.TemporaryDirectory(prefix="followdeps-") as scratch:
            scratch = os.path.realpath(scratch)
            try:
                row, err = follow(tool, case, b, os.path.join(BIN, case["gateway"]), scratch)
            except Exception as e:   # noqa: BLE001
                row, err = {"case": case["id"], "plugin": b["name"], "outcome": "error"}, repr(e)
        rows.append(row)
        if err:
            wrong.append(f"{case['id']}: {b['name']}: {norm(err, scratch)}")
        if row.get("followed", True):
            print(f"followdeps: {case['id']}: {row.get('outcome')}", flush=True)
    followed = [r for r in rows if r.get("followed", True)]
    print(f"followdeps: {len(rows)} failing single plugins; {len(followed)} misaligned by deps, fix followed: "
          f"{sum(1 for r in followed if r.get('outcome', '').startswith('loaded'))} load")
    publish("followdeps", "followdeps.json", rows, lambda r: (r["case"], r["plugin"]), update)
    shutil.rmtree(DEST, ignore_errors=True)
    if wrong:
        print("followdeps: fixes that do not work:\n  " + "\n  ".join(wrong))
        sys.exit(1)


if __name__ == "__main__":
    main()
