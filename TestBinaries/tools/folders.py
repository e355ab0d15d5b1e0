#!/usr/bin/env python3
"""The folder oracle: runs the KrakenD-like fixture gateway (out/bin/krakend-go1.25.5, source
TestBinaries/src/krakend/main.go: its header documents the output lines) on every case of
TestBinaries/folders.json, twice (stability), and records every line it printed.

Per case: the files of `layout` are made under TestBinaries/out/folders/<id>/ (from out/bin/),
the configuration TestBinaries/src/configs/<config> is written to <configAt> in that directory
(<CASE> replaced by the directory; YAML and TOML are also converted to <configAt>.json with a
real parser, PyYAML and tomllib, because the gateway reads JSON only), then the gateway runs in
<cwd> with `-c <config relative to cwd>` (or `-scan-only FOLDER PATTERN`).

Writes TestBinaries/out/folders-oracle.json. With --update, or when the committed copy is
missing, also writes TestBinaries/folders-oracle.json and docs/matrix.md (second table).
Otherwise it prints the cases whose record differs from the committed copy.

Record per case: the case fields, `command` (argv, the gateway as its file name), `lines` (each
output line split at tabs, fields unescaped: `\\n` is a newline again), `exitStatus`, `fatal`
(first `fatal error:` / `panic:` / signal line of stderr on a crash, else null), `stable`.
Paths: the case directory is written <CASE>, TestBinaries/out <OUT>, the repository <ROOT>.
"""
import concurrent.futures as cf
import json, os, shutil, signal, subprocess, sys

import oracle

TB = oracle.TB
ROOT, OUT, BIN = oracle.ROOT, oracle.OUT, oracle.BIN
CASES_JSON = os.path.join(TB, "folders.json")
CONFIGS = os.path.join(TB, "src", "configs")
FOLDERS = os.path.join(OUT, "folders")
GATEWAY = "krakend-go1.25.5"
COMMITTED = os.path.join(TB, "folders-oracle.json")
TIMEOUT = 20
NOBODY = 65534


def compact_json(obj, indent=0):
    """JSON with one key per line, but lists of scalars (layout entries, output lines) on one line."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {compact_json(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(v, (dict, list)) for v in obj):
        return "[\n" + ",\n".join(inner + compact_json(v, indent + 1) for v in obj) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False)


def write_json(path, doc):
    with open(path, "w") as f:
        f.write(compact_json(doc) + "\n")


def read_cases():
    with open(CASES_JSON) as f:
        return json.load(f)["cases"]


def remove_tree(path):
    """rmtree that first gives back the permissions a case took away (mode 000 folders)."""
    if not os.path.lexists(path):
        return
    os.chmod(path, 0o755)
    for dp, dns, _ in os.walk(path):
        for d in dns:
            p = os.path.join(dp, d)
            if not os.path.islink(p):
                os.chmod(p, 0o755)
    shutil.rmtree(path)


def to_json_config(src, text):
    if src.endswith((".yaml", ".yml")):
        import yaml  # PyYAML: scripts/bootstrap installs it
        return json.dumps(yaml.safe_load(text), indent=2)
    if src.endswith(".toml"):
        import tomllib
        return json.dumps(tomllib.loads(text), indent=2)
    return None


def make_case_dir(case):
    d = os.path.join(FOLDERS, case["id"])
    remove_tree(d)
    os.makedirs(d)
    chmods = []
    for op, rel, *arg in case["layout"]:
        p = os.path.join(d, rel)
        if op != "chmod":
            os.makedirs(os.path.dirname(p), exist_ok=True)
        if op == "copy":
            shutil.copy2(os.path.join(BIN, arg[0]), p)
        elif op == "hardlink":
            os.link(os.path.join(BIN, arg[0]), p)
        elif op == "symlink":
            os.symlink(arg[0], p)
        elif op == "dir":
            os.makedirs(p, exist_ok=True)
        elif op == "text":
            with open(p, "w") as f:
                f.write(arg[0])
        elif op == "chmod":
            chmods.append((p, int(arg[0], 8)))   # last, so the other entries can still be made
        else:
            raise ValueError(f"{case['id']}: unknown layout op {op}")
    gateway_config = None
    if "config" in case:
        at = case.get("configAt", "krakend.json")
        with open(os.path.join(CONFIGS, case["config"])) as f:
            text = f.read().replace("<CASE>", d)
        p = os.path.join(d, at)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        converted = to_json_config(case["config"], text)
        gateway_config = at
        if converted is not None:
            gateway_config = at + ".json"
            with open(os.path.join(d, gateway_config), "w") as f:
                f.write(converted + "\n")
    for p, mode in chmods:
        os.chmod(p, mode)
    return d, gateway_config


def unescape(field):
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(field[i + 1], "\\" + field[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def run_once(case, d, gateway_config):
    cwd = os.path.join(d, case.get("cwd", "."))
    if "scanOnly" in case:
        args = ["-scan-only"] + case["scanOnly"]
    else:
        args = ["-c", os.path.relpath(os.path.join(d, gateway_config), cwd)]
    gateway = case.get("gateway", GATEWAY)
    cmd = [os.path.join(BIN, gateway)] + args
    user = case.get("user")
    if user == "nobody" and os.geteuid() == 0:
        cmd = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"] + cmd
    elif user == "root" and os.geteuid() != 0:
        return None, [gateway] + args, ["needs root"]
    env = {"PATH": "/usr/bin:/bin", "LANG": "C", "GOTRACEBACK": "single"}
    try:
        r = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)
        rc, out, err = r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    except subprocess.TimeoutExpired as e:
        rc, out, err = "timeout", (e.stdout or b"").decode(errors="replace"), (e.stderr or b"").decode(errors="replace")

    def norm(s):
        return s.replace(d, "<CASE>").replace(OUT, oracle.PLACEHOLDER).replace(ROOT, "<ROOT>")
    lines = [[norm(unescape(f)) for f in line.split("\t")] for line in out.splitlines()]
    fatal = next((l.strip() for l in err.splitlines() if oracle.FATAL.match(l.strip())), None)
    if fatal is None and isinstance(rc, int) and rc < 0:
        fatal = "killed by " + signal.Signals(-rc).name
    res = {"lines": lines, "exitStatus": rc, "fatal": norm(fatal) if fatal else None}
    tail = [norm(l) for l in err.splitlines() if l.strip()][:6]
    return res, [gateway] + args, tail


def run_case(case):
    d, gateway_config = make_case_dir(case)
    a, command, tail = run_once(case, d, gateway_config)
    rec = dict(case)
    rec["command"] = command
    if a is None:
        rec["skipped"] = tail[0]
        return rec
    if gateway_config is not None:
        rec["gatewayConfig"] = gateway_config
    b, _, _ = run_once(case, d, gateway_config)
    rec.update(a)
    rec["stable"] = a == b
    if not rec["stable"]:
        rec["secondRun"] = b
    if a["exitStatus"] != 0 or a["fatal"]:
        rec["stderrHead"] = tail     # diagnostics only: not committed, not compared
    return rec


def committed_form(rec):
    return {k: v for k, v in rec.items() if k != "stderrHead"}


# ---------------------------------------------------------------- docs/matrix.md (second table)
def cell(s):
    return str(s).replace("|", "\\|").replace("`", "'").replace("\n", "\\n")


def outcome_cell(c):
    if "skipped" in c:
        return "skipped: " + c["skipped"]
    lines = c["lines"]
    parts = []
    if "scanOnly" in c:
        scans = [l[2] for l in lines if l[0] == "SCAN"]
        errs = [l[2] for l in lines if l[0] == "SCANERR"]
        parts.append("Scan: " + (f"error `{cell(errs[0])}`" if errs else
                                 (", ".join(f"`{cell(s)}`" for s in scans) or "nothing")))
    for l in lines:
        if l[0] == "CONFIGERR":
            parts.append(f"configuration rejected: `{cell(l[1])}`")
        elif l[0] == "CONFIG" and l[1:] == ["-", "-"]:
            parts.append("no plugin section: no loader ran")
    kinds = [l[1] for l in lines if l[0] == "LOADER"]
    selected = {k: [l[2] for l in lines if l[0] == "SCAN" and l[1] == k] for k in kinds}
    if kinds:
        first = selected[kinds[0]]
        errs = [l for l in lines if l[0] == "SCANERR"]
        if errs:
            parts.append(f"Scan error: `{cell(errs[0][2])}`")
        else:
            parts.append("selected: " + (", ".join(f"`{cell(s)}`" for s in first) or "nothing"))
    for k in kinds:
        summary = next((l for l in lines if l[0] == "SUMMARY" and l[1] == k), None)
        reg = [l[2] for l in lines if l[0] == "REGISTERED" and l[1] == k]
        opened = {l[2] for l in lines if l[0] == "OPEN" and l[1] == k}
        if summary is None:
            pending = next((p for p in selected[k] if p not in opened), "?")
            parts.append(f"{k}: **crash** (exit {c['exitStatus']}) opening `{cell(pending)}`: `{cell(c['fatal'])}`")
            break
        n_err = summary[3].count("\nplugin #") if summary[3].startswith("plugin loader found") else (0 if summary[3] == "-" else 1)
        parts.append(f"{k}: " + (("registered " + ", ".join(f"`{r}`" for r in reg)) if reg else "registered nothing")
                     + (f", {n_err} error(s)" if n_err else ""))
    decl = [f"{l[1]} `{cell(l[2])}` {l[3]} ({l[4]})" for l in lines if l[0] == "DECLARED"]
    if decl:
        parts.append("declared: " + "; ".join(decl))
    if not c["stable"]:
        parts.append("**unstable between two runs**")
    return "<br>".join(parts)


def matrix_lines(fdoc):
    out = ["", "## Plugin folders and configurations", "",
           "Generated from `TestBinaries/folders-oracle.json`: the KrakenD-like gateway (`TestBinaries/src/krakend`,",
           "lura's `Scan` then KrakenD CE's loaders: client, handler, modifier) run on the folder cases of",
           "`TestBinaries/folders.json` (files under `TestBinaries/out/folders/<id>/`, configurations in",
           "`TestBinaries/src/configs/`). `<CASE>` stands for the case directory. Errors counted per loader.", "",
           "| # | id | varies | configuration → folder, pattern | what the loaders did |", "|---|---|---|---|---|"]
    for n, c in enumerate(fdoc["cases"], 1):
        if "scanOnly" in c:
            conf = "`-scan-only " + " ".join(json.dumps(a) for a in c["scanOnly"]) + "`"
        else:
            cfg = next((l for l in c.get("lines", []) if l[0] == "CONFIG"), None)
            conf = f"`{c['config']}`"
            if cfg and cfg[1:] != ["-", "-"]:
                conf += f" → `{json.dumps(cfg[1])}`, `{json.dumps(cfg[2])}`"
            if c.get("cwd", ".") != ".":
                conf += f" (run in `{c['cwd']}/`)"
            if c.get("user"):
                conf += f" (as {c['user']})"
        out.append(f"| {n} | {c['id']} | {cell(c['varies'])} | {conf} | {outcome_cell(c)} |")
    return out


def main():
    update = "--update" in sys.argv[1:]
    if not os.path.exists(os.path.join(BIN, GATEWAY)):
        sys.exit(f"folders: TestBinaries/out/bin/{GATEWAY} missing: run scripts/fixtures")
    cases = read_cases()
    os.makedirs(FOLDERS, exist_ok=True)
    with cf.ThreadPoolExecutor(int(os.environ.get("FIXTURES_JOBS", "2"))) as ex:
        recs = list(ex.map(run_case, cases))
    doc = {"generatedBy": "scripts/fixtures (TestBinaries/tools/folders.py)", "gateway": "bin/" + GATEWAY,
           "placeholders": {"<CASE>": "TestBinaries/out/folders/<id>", oracle.PLACEHOLDER: "TestBinaries/out",
                            "<ROOT>": "the repository"},
           "cases": recs}
    write_json(os.path.join(OUT, "folders-oracle.json"), doc)
    unstable = [c["id"] for c in recs if c.get("stable") is False]
    skipped = [c["id"] for c in recs if "skipped" in c]
    crashed = [c["id"] for c in recs if c.get("fatal")]
    print(f"folders: {len(recs)} cases; crashed: {len(crashed)}; skipped: {len(skipped)}")
    if unstable:
        print("folders: UNSTABLE cases: " + " ".join(unstable))
    if update or not os.path.exists(COMMITTED):
        write_json(COMMITTED, dict(doc, cases=[committed_form(c) for c in recs]))
        oracle.write_matrix_md()
        print("folders: wrote TestBinaries/folders-oracle.json and docs/matrix.md")
    else:
        with open(COMMITTED) as f:
            old = {c["id"]: c for c in json.load(f)["cases"]}
        diff = [c["id"] for c in recs if old.get(c["id"]) != committed_form(c)]
        gone = [i for i in old if i not in {c["id"] for c in recs}]
        if diff or gone:
            print("folders: differs from the committed TestBinaries/folders-oracle.json: " + " ".join(diff + gone))
            print("folders: if the change is expected, run scripts/fixtures --update")
        else:
            print("folders: matches the committed TestBinaries/folders-oracle.json")


if __name__ == "__main__":
    main()
