#!/usr/bin/env python3
"""The real-loader oracle: runs the fixture gateway on every case of
TestBinaries/cases.tsv (twice, to check stability) and records what plugin.Open did.

Writes TestBinaries/out/oracle.json. With --update, or when the committed copy is
missing, also writes TestBinaries/oracle.json and docs/matrix.md. Otherwise it
prints the cases whose outcome differs from the committed copy (exit status 0:
the Swift MatrixTests turn that into a test failure).

Also checks TestBinaries/fixes.tsv (the fix experiments) against this run; --update rewrites
its outcome column from it.

Per plugin, outcome is one of:
  loaded       (+ registerers: the symbols Lookup found; [] = registers nothing)
  error        (+ error: err.Error() from plugin.Open, with the out dir as <OUT>)
  crash        (+ exitStatus, fatal: first `fatal error:` / `panic:` / signal line)
  not-reached  (a plugin after a crash)
"""
import concurrent.futures as cf
import json, os, re, signal, subprocess, sys

TB = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(TB)
OUT = os.path.join(TB, "out")
BIN = os.path.join(OUT, "bin")
PLACEHOLDER = "<OUT>"
TIMEOUT = {"native": 20, "qemu-aarch64": 60}

def read_cases():
    cases = []
    with open(os.path.join(TB, "cases.tsv")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cid, varies, gw, plugins, runner = line.split("\t")
            cases.append(dict(id=cid, varies=varies, gateway=gw, plugins=plugins.split(), runner=runner))
    return cases

def norm(s):
    return s.replace(OUT, PLACEHOLDER)

FATAL = re.compile(r"^(fatal error: .*|panic: .*|SIG[A-Z]+: .*|unexpected fault address.*|qemu: .*|Segmentation fault.*)$")

def run_once(case):
    gw = os.path.join(BIN, case["gateway"])
    args = [os.path.join(BIN, p) for p in case["plugins"]]
    cmd = [gw] + args
    if case["runner"] == "qemu-aarch64":
        cmd = ["qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu"] + cmd
    env = {"PATH": "/usr/bin:/bin", "LANG": "C", "GOTRACEBACK": "single"}
    try:
        r = subprocess.run(cmd, cwd=OUT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=TIMEOUT[case["runner"]])
        rc, out, err = r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        rc, out, err = "timeout", (e.stdout or b"").decode(errors="replace"), (e.stderr or b"").decode(errors="replace")
    lines = [l.split("\t", 3) for l in out.splitlines() if l.startswith("PLUGIN\t")]
    results, i = [], 0
    fatal = next((l.strip() for l in err.splitlines() if FATAL.match(l.strip())), None)
    if fatal is None and isinstance(rc, int) and rc < 0:
        fatal = "killed by " + signal.Signals(-rc).name
    crashed = False
    for p, path in zip(case["plugins"], args):
        res = {"plugin": p}
        if i < len(lines) and lines[i][1] == path:
            _, _, kind, rest = lines[i]
            i += 1
            if kind == "loaded":
                res.update(outcome="loaded", registerers=[] if rest == "-" else rest.split(","))
            else:
                res.update(outcome="error", error=norm(rest))
        elif not crashed and rc != 0:
            crashed = True
            res.update(outcome="crash" if rc != "timeout" else "timeout",
                       exitStatus=rc, fatal=norm(fatal) if fatal else None)
        elif crashed:
            res.update(outcome="not-reached")
        else:
            res.update(outcome="missing", exitStatus=rc)   # should not happen
        results.append(res)
    tail = [norm(l).replace(ROOT, "<ROOT>") for l in err.splitlines() if l.strip()][:6]
    return {"results": results, "exitStatus": rc}, tail

def run_case(case):
    a, tail = run_once(case)
    b, _ = run_once(case)
    rec = dict(case)
    rec["results"] = a["results"]
    rec["gatewayExitStatus"] = a["exitStatus"]
    rec["stable"] = a == b
    if not rec["stable"]:
        rec["secondRun"] = b
    if a["exitStatus"] != 0:
        rec["stderrHead"] = tail     # diagnostics only: not in the committed copy, not compared
    return rec

def committed_form(rec):
    return {k: v for k, v in rec.items() if k != "stderrHead"}

def summary_class(res):
    o = res["outcome"]
    if o == "loaded":
        return "loaded" if res["registerers"] else "loaded (registers nothing)"
    if o == "error":
        e = res["error"]
        for pat, name in (("plugin already loaded", "error: already loaded"),
                          ("different version of package", "error: different version of package"),
                          ("not implemented", "error: not implemented"),
                          ("previous failure", "error: previous failure")):
            if pat in e:
                return name
        return "error: dlopen"
    return o

def outcome_text(res):
    o = res["outcome"]
    if o == "loaded":
        return "loaded " + (", ".join(res["registerers"]) if res["registerers"] else "(registers nothing)")
    if o == "error":
        return "error: `" + res["error"].replace("|", "\\|").replace("`", "'") + "`"
    if o in ("crash", "timeout"):
        return f"**{o}** (exit {res['exitStatus']}): `" + str(res.get("fatal")).replace("|", "\\|") + "`"
    return o

FIXES = os.path.join(TB, "fixes.tsv")
FIX_FIELDS = ("case", "plugin", "fix", "rebuilt", "outcome", "gateway", "fixCase")

def read_fixes():
    """TestBinaries/fixes.tsv: one fix experiment per row (see its header line)."""
    if not os.path.exists(FIXES):
        return [], []
    header, rows = [], []
    with open(FIXES) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("#"):
                header.append(line)
                continue
            fields = line.split("\t")
            if len(fields) != len(FIX_FIELDS):
                sys.exit(f"oracle: fixes.tsv: {len(fields)} fields, want {len(FIX_FIELDS)}: {line}")
            rows.append(dict(zip(FIX_FIELDS, fields)))
    return header, rows

def fix_outcome(res):
    """The outcome column of fixes.tsv: the result of the last plugin of the fix's oracle case."""
    o = res["outcome"]
    if o == "loaded":
        return "loaded " + (",".join(res["registerers"]) if res["registerers"] else "(registers nothing)")
    if o == "error":
        return "error: " + re.sub(r'^plugin\.Open\("[^"]*"\): ', "", res["error"])
    if o in ("crash", "timeout"):
        return f"{o} (exit {res['exitStatus']}): {res.get('fatal')}"
    return o

def check_fixes(recs, update):
    """Checks fixes.tsv against this run (each row's oracle case must run the row's gateway on
    the rebuilt file); with --update rewrites its outcome column, else reports differences."""
    header, rows = read_fixes()
    if not rows:
        return
    byid = {c["id"]: c for c in recs}
    bad, diff, loads = [], [], 0
    for r in rows:
        c, failing = byid.get(r["fixCase"]), byid.get(r["case"])
        if failing is None or r["plugin"] not in failing["plugins"]:
            bad.append(f"{r['case']}: no such case with plugin {r['plugin']}")
        if c is None or c["gateway"] != r["gateway"] or r["rebuilt"] not in [c["gateway"]] + c["plugins"]:
            bad.append(f"{r['case']} -> {r['fixCase']}: no such case running {r['gateway']} with {r['rebuilt']}")
            continue
        now = fix_outcome(c["results"][-1])
        loads += now.startswith("loaded")
        if update:
            r["outcome"] = now
        elif r["outcome"] != now:
            diff.append(f"{r['case']} -> {r['fixCase']}: fixes.tsv says {r['outcome']!r}, now {now!r}")
    print(f"fixes: {len(rows)} fix experiments ({loads} load, {len(rows) - loads} do not)")
    for b in bad:
        print("fixes: INCONSISTENT row: " + b)
    if update:
        with open(FIXES, "w") as f:
            f.write("".join(h + "\n" for h in header))
            f.write("".join("\t".join(r[k] for k in FIX_FIELDS) + "\n" for r in rows))
        print("fixes: wrote the outcome column of TestBinaries/fixes.tsv")
    elif diff:
        print("fixes: differs from TestBinaries/fixes.tsv:\n  " + "\n  ".join(diff))
        print("fixes: if the change is expected, run scripts/fixtures --update")
    else:
        print("fixes: outcomes match TestBinaries/fixes.tsv")

def fix_lines():
    _, rows = read_fixes()
    if not rows:
        return []
    cell = lambda t: t.replace("|", "\\|")
    lines = ["", "## Fix experiments", "",
             "From `TestBinaries/fixes.tsv`: a failing case, what was rebuilt and how (as a user types it, run in the",
             "plugin's or the gateway's module directory; `<ROOT>` is the repository), and what the real gateway then",
             "did (the last plugin of the oracle case named).", "",
             "| # | failing case | fix tried | rebuilt file | oracle case | real outcome |", "|---|---|---|---|---|---|"]
    for n, r in enumerate(rows, 1):
        lines.append(f"| {n} | {r['case']} | `{cell(r['fix'])}` | `{r['rebuilt']}` | {r['fixCase']} | {cell(r['outcome'])} |")
    return lines

def write_matrix_md():
    """docs/matrix.md from the committed TestBinaries/oracle.json, plus the folder cases'
    table from TestBinaries/folders-oracle.json when it exists (tools/folders.py)."""
    with open(os.path.join(TB, "oracle.json")) as f:
        doc = json.load(f)
    lines = ["# Plugin loading matrix", "",
             "Generated by `scripts/fixtures --update` from `TestBinaries/oracle.json` and `TestBinaries/folders-oracle.json`: do not edit by hand.",
             "Each case runs the fixture gateway (`TestBinaries/src/gateway`, a KrakenD-like host calling",
             "`plugin.Open` then `Lookup` of the four registerer symbols) on the plugins in load order.",
             "Files are under `TestBinaries/out/bin/` (see `TestBinaries/out/manifest.json` for how each was built);",
             "`<OUT>` stands for `TestBinaries/out`.", ""]
    counts = {}
    for c in doc["cases"]:
        for r in c["results"]:
            k = summary_class(r)
            counts[k] = counts.get(k, 0) + 1
    lines += ["Outcomes per plugin load: " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) + ".", ""]
    lines += ["| # | id | varies | gateway | plugins (in order) → what the loader did |", "|---|---|---|---|---|"]
    for n, c in enumerate(doc["cases"], 1):
        cell = "<br>".join(f"`{r['plugin']}` → {outcome_text(r)}" for r in c["results"])
        if c["runner"] != "native":
            cell += f"<br>(run under {c['runner']})"
        if not c["stable"]:
            cell += "<br>**unstable between two runs**"
        lines.append(f"| {n} | {c['id']} | {c['varies']} | `{c['gateway']}` | {cell} |")
    lines += fix_lines()
    folders_json = os.path.join(TB, "folders-oracle.json")
    if os.path.exists(folders_json):
        import folders
        with open(folders_json) as f:
            lines += folders.matrix_lines(json.load(f))
    with open(os.path.join(ROOT, "docs", "matrix.md"), "w") as f:
        f.write("\n".join(lines) + "\n")

def host_info():
    def out(cmd):
        try:
            return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.splitlines()[0]
        except Exception as e:
            return str(e)
    return {"glibc": out(["ldd", "--version"]), "kernel": out(["uname", "-srm"]),
            "qemu": out(["qemu-aarch64-static", "--version"])}

def main():
    update = "--update" in sys.argv[1:]
    if not os.path.exists(os.path.join(OUT, "manifest.json")):
        sys.exit("oracle: TestBinaries/out/manifest.json missing: run scripts/fixtures")
    cases = read_cases()
    with cf.ThreadPoolExecutor(int(os.environ.get("FIXTURES_JOBS", "2"))) as ex:
        recs = list(ex.map(run_case, cases))
    doc = {"generatedBy": "scripts/fixtures (TestBinaries/tools/oracle.py)",
           "placeholder": PLACEHOLDER, "host": host_info(), "cases": recs}
    with open(os.path.join(OUT, "oracle.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    counts = {}
    for c in recs:
        for r in c["results"]:
            k = summary_class(r)
            counts[k] = counts.get(k, 0) + 1
    unstable = [c["id"] for c in recs if not c["stable"]]
    print(f"oracle: {len(recs)} cases; " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    if unstable:
        print("oracle: UNSTABLE cases: " + " ".join(unstable))
    committed = os.path.join(TB, "oracle.json")
    check_fixes(recs, update)
    if update or not os.path.exists(committed):
        with open(committed, "w") as f:
            json.dump({"generatedBy": doc["generatedBy"], "placeholder": PLACEHOLDER,
                       "cases": [committed_form(c) for c in recs]}, f, indent=1)
            f.write("\n")
        write_matrix_md()
        print("oracle: wrote TestBinaries/oracle.json and docs/matrix.md")
    else:
        with open(committed) as f:
            old = {c["id"]: c for c in json.load(f)["cases"]}
        diff = [c["id"] for c in recs if old.get(c["id"]) != committed_form(c)]
        gone = [i for i in old if i not in {c["id"] for c in recs}]
        if diff or gone:
            print("oracle: differs from the committed TestBinaries/oracle.json: " + " ".join(diff + gone))
            print("oracle: if the change is expected, run scripts/fixtures --update")
        else:
            print("oracle: matches the committed TestBinaries/oracle.json")

if __name__ == "__main__":
    main()
