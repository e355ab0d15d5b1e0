#!/usr/bin/env python3
"""Follows the fixes plugincheck prints, literally, and lets the real gateway judge them.

    followfix.py PLUGINCHECK [--update]

For every case of TestBinaries/cases.tsv whose recorded outcome (TestBinaries/oracle.json) has a
plugin that fails or crashes, runs `PLUGINCHECK compare --format json GATEWAY PLUGINS...`. Where the
verdict's first finding carries a `rebuild` (the fix as a change to the plugin's build), applies
exactly that change to the plugin's build in tools/fixtures.py's list (toolchain, GOROOT,
environment, flags added and removed, replace directives dropped, `go get` of the required versions,
the folder to build in),
builds the plugin into out/followfix/, runs the case again with the rebuilt file in its place and
records what plugin.Open did with it. A verdict without `rebuild` is recorded with its fix text
(the gateway, or more than one rebuild of the plugin, has to change).

Writes out/followfix.json; with --update, or when it is missing, also TestBinaries/followfix.json.
Otherwise prints the differences from the committed copy. Exit status 1 when a followed rebuild
does not load (that is a wrong fix, whatever the committed copy says).
"""
import json, os, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx   # noqa: E402
import oracle           # noqa: E402
from records import norm, publish   # noqa: E402

TB, OUT, BIN = fx.TB, fx.OUT, fx.BIN
# The directories are part of the fingerprints: build in the ones the fixtures were built in.
fx.WORK = os.path.realpath(fx.WORK)
fx.TREE = os.path.join(fx.WORK, "tree")
DEST = os.path.join(OUT, "followfix")


def failing(rec):
    return [r["plugin"] for r in rec["results"] if r["outcome"] in ("error", "crash", "timeout")]


def flag_name(f):
    return f.split("=", 1)[0]


def apply(b, rb):
    """The build `b` changed as `rb` says; returns (build, cwd override, go get arguments)."""
    b = json.loads(json.dumps(b))
    if rb.get("toolchain"):
        v = rb["toolchain"][2:]
        b["go"] = "1.19" if v.startswith("1.19") else v
    if rb.get("goroot"):
        root = rb["goroot"]
        for alt in (None, "alt"):
            if os.path.realpath(os.path.dirname(os.path.dirname(fx.gobin(b["go"], alt)))) == os.path.realpath(root):
                b["goroot"] = alt
                break
        else:
            raise RuntimeError(f"no toolchain of the fixtures lives at GOROOT {root}")
    b["env"].update(rb.get("environment") or {})
    for f in rb.get("addFlags") or []:
        b["flags"] = [x for x in b["flags"] if flag_name(x) != flag_name(f)] + [f]
    for name in rb.get("removeFlags") or []:
        b["flags"] = [x for x in b["flags"] if flag_name(x) != name]
    gets = list(rb.get("require") or [])
    drops = list(rb.get("dropReplace") or [])
    replaces = list(rb.get("replace") or [])
    if not b["tree"]:
        for m in replaces:
            path, target = m.split("=", 1)
            assert path == "example.com/shared", m   # the only module the build list replaces
            b["replace"], b["replace_path"] = None, target
        replaces = []
        for m in drops:
            assert m == "example.com/shared", m   # the only module the build list replaces
            b["replace"] = b["replace_path"] = None
        drops = []
        # Builds outside a checkout get their go.mod from the build list: set the version there.
        for m in gets:
            path, ver = m.split("@")
            key = {"example.com/shared": "shared", "example.com/pluginlib": "pluginlib"}[path]
            b[key] = ver
        gets = []
    return b, rb.get("directory"), ([["mod", "edit", "-dropreplace=" + m] for m in drops]
                                    + [["mod", "edit", "-replace=" + m] for m in replaces] + [["get", m] for m in gets])


def build(b, cwd, gets, out):
    env = fx.go_env(b)
    go = fx.gobin(b["go"], b.get("goroot"))
    if b["tree"]:
        cwd = cwd or fx.tree_dirs(b)[1]
        saved = {n: open(os.path.join(cwd, n)).read() for n in ("go.mod", "go.sum") if os.path.exists(os.path.join(cwd, n))}
        try:
            for argv in gets:
                fx.sh([go] + argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            cmd = [go, "build"] + b["flags"] + ["-o", out, b["pkg"]]
            r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        finally:
            for n, text in saved.items():   # the checkout stays as the fixtures made it
                with open(os.path.join(cwd, n), "w") as f:
                    f.write(text)
    else:
        if cwd:
            raise RuntimeError("a folder change for a build outside a checkout")
        mdir = os.path.join(fx.WORK, "mod", "followfix-" + b["name"])
        os.makedirs(mdir, exist_ok=True)
        mf = os.path.join(mdir, "go.mod")
        with open(mf, "w") as f:
            f.write(fx.modfile(b)[2])
        cmd = [go, "build", "-modfile=" + mf] + b["flags"] + ["-o", out, b["pkg"]]
        r = subprocess.run(cmd, cwd=os.path.join(fx.SRC, b["src"]), env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"rebuild failed: {' '.join(cmd)}\n{r.stdout}")


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
        if not rec or not failing(rec):
            continue
        args = [os.path.join(BIN, case["gateway"])] + [os.path.join(BIN, p) for p in case["plugins"]]
        r = subprocess.run([tool, "compare", "--format", "json"] + args[1:] + args[:1],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        report = json.loads(r.stdout)
        verdicts = {os.path.basename(v["path"]): v for v in report["plugins"]}
        for name in failing(rec):
            v = verdicts[name]
            first = v["findings"][0] if v["findings"] else {}
            row = {"case": case["id"], "plugin": name, "verdict": v["verdict"], "fix": norm(first.get("fix"))}
            rb = first.get("rebuild")
            if not rb or name not in builds:
                row["followed"] = False
                rows.append(row)
                continue
            row["followed"] = True
            row["rebuild"] = json.loads(norm(json.dumps(rb)))
            b, cwd, gets = apply(builds[name], rb)
            out = os.path.join(DEST, name)
            try:
                build(b, cwd, gets, out)
            except RuntimeError as e:
                row["outcome"] = "rebuild failed"
                wrong.append(f"{case['id']}: {name}: {e}")
                rows.append(row)
                continue
            again = dict(case, plugins=[("../followfix/" + p) if p == name else p for p in case["plugins"]])
            res, _ = oracle.run_once(again)
            mine = res["results"][case["plugins"].index(name)]
            row["outcome"] = oracle.outcome_text(mine).replace("`", "")
            if mine["outcome"] != "loaded":
                wrong.append(f"{case['id']}: {name}: following {rb} gives {row['outcome']}")
            rows.append(row)
            print(f"followfix: {case['id']}: {name}: {row['outcome']}", flush=True)
    followed = [r for r in rows if r["followed"]]
    print(f"followfix: {len(rows)} failing plugins; {len(followed)} fixes are rebuilds, followed: "
          f"{sum(1 for r in followed if r.get('outcome', '').startswith('loaded'))} load")
    publish("followfix", "followfix.json", rows, lambda r: (r["case"], r["plugin"]), update)
    shutil.rmtree(DEST, ignore_errors=True)
    if wrong:
        print("followfix: fixes that do not work:\n  " + "\n  ".join(wrong))
        sys.exit(1)


if __name__ == "__main__":
    main()
