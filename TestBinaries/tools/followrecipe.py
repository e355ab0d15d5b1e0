#!/usr/bin/env python3
"""Runs `plugincheck recipe` literally for every gateway of the fixture matrix, and lets the
real gateway judge the plugin it builds.

    followrecipe.py PLUGINCHECK [--update]

For each gateway named in TestBinaries/cases.tsv: copies the handler plugin's module
(TestBinaries/src/plugins) to a fresh folder, runs `PLUGINCHECK recipe --gateway GATEWAY FOLDER
--package ./handler`, also writes `--format dockerfile`, then runs the script with `sh` as a user
would: the toolchains the fixture scripts installed are on PATH under the names the recipe uses
(go1.25.5, go1.19.8 ...), the module proxy is the fixtures' local one and nothing else of the
fixture build is set. The real fixture gateway (under qemu for arm64) then opens the plugin.
A recipe that refuses (exit status 1) is recorded with its message.

Also checks that the Dockerfile carries the same environment, module edits and go build flags as
the script. Writes out/recipes.json; with --update, or when missing, TestBinaries/recipes.json;
otherwise prints the differences. Exit status 1 when a recipe's plugin does not load, a recipe
fails to run, or the Dockerfile disagrees with the script.
"""
import json, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixtures as fx   # noqa: E402
import oracle           # noqa: E402
from records import norm, publish   # noqa: E402

TB, OUT, BIN = fx.TB, fx.OUT, fx.BIN
WORK = os.path.realpath(fx.WORK)


def toolchain_dir(tmp):
    """go1.x.y commands for every toolchain the fixtures installed (golang.org/dl's names)."""
    d = os.path.join(tmp, "toolchains")
    os.makedirs(d)
    for v in fx.GO_VERSIONS:
        os.symlink(fx.gobin(v), os.path.join(d, "go" + v))
    r = subprocess.run([fx.DEBIAN_GO, "env", "GOVERSION"], stdout=subprocess.PIPE, text=True, env={"PATH": "/usr/bin:/bin", "HOME": tmp})
    os.symlink(fx.DEBIAN_GO, os.path.join(d, r.stdout.strip()))
    return d


def script_parts(text):
    env = dict(re.findall(r"^export (\w+)=(\S+)", text, re.M))
    edits = [l[len('"$GO" '):] for l in text.splitlines() if l.startswith('"$GO" ') and " build " not in l]
    build = next((l for l in text.splitlines() if l.startswith('"$GO" build ')), "")
    return env, edits, build.replace('"$GO" build ', "").replace('-o "$OUT" ', "")


def dockerfile_parts(text):
    env = dict(re.findall(r"^ENV (\w+)=(\S+)", text, re.M))
    edits = [l[len("RUN go "):] for l in text.splitlines() if l.startswith("RUN go ") and not l.startswith("RUN go build ")]
    build = next((l for l in text.splitlines() if l.startswith("RUN go build ")), "")
    return env, edits, build.replace("RUN go build ", "").replace("-o /out/plugin.so ", "")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool, update = os.path.abspath(sys.argv[1]), "--update" in sys.argv[2:]
    gateways = sorted({c["gateway"] for c in oracle.read_cases()})
    manifest = {e["name"]: e for e in json.load(open(os.path.join(OUT, "manifest.json")))["files"]}
    tmp = tempfile.mkdtemp(prefix="followrecipe-", dir=WORK)
    rows, wrong = [], []
    try:
        tools = toolchain_dir(tmp)
        for gw in gateways:
            folder = os.path.join(tmp, gw, "plugins")
            shutil.copytree(os.path.join(fx.SRC, "plugins"), folder)
            row = {"gateway": gw}
            r = subprocess.run([tool, "recipe", "--gateway", os.path.join(BIN, gw), folder, "--package", "./handler"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            d = subprocess.run([tool, "recipe", "--format", "dockerfile", "--gateway", os.path.join(BIN, gw), folder, "--package", "./handler"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            row["recipeStatus"] = r.returncode
            if r.returncode == 2:
                row["outcome"] = "recipe error: " + norm(r.stderr.strip())
                wrong.append(f"{gw}: {row['outcome']}")
                rows.append(row)
                continue
            if r.returncode == 0 and script_parts(r.stdout) != dockerfile_parts(d.stdout):
                # The Dockerfile's CC is the image's own gcc on Alpine; everything else must agree.
                se, sed_, sb = script_parts(r.stdout)
                de, ded, db = dockerfile_parts(d.stdout)
                if se.get("CC") == "musl-gcc":
                    se = dict(se, CC="gcc")
                if (se, sed_, sb) != (de, ded, db):
                    wrong.append(f"{gw}: the Dockerfile differs from the script: {(se, sed_, sb)} vs {(de, ded, db)}")
            script = os.path.join(tmp, gw, "recipe.sh")
            with open(script, "w") as f:
                f.write(r.stdout)
            row["build"] = norm(next((l for l in r.stdout.splitlines() if l.startswith('"$GO" build ')), ""))
            row["environment"] = {k: norm(v) for k, v in script_parts(r.stdout)[0].items()}
            row["moduleEdits"] = [norm(e) for e in script_parts(r.stdout)[1]]
            out = os.path.join(tmp, gw, "plugin.so")
            env = {"PATH": tools + ":/usr/bin:/bin", "HOME": os.path.join(tmp, "home"), "OUT": out,
                   "GOPROXY": "file://" + os.path.join(WORK, "proxy"), "GOSUMDB": "off", "GOTELEMETRY": "off",
                   "GOCACHE": os.path.join(WORK, "gocache"), "GOPATH": os.path.join(WORK, "gopath")}
            run = subprocess.run(["sh", script, folder], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if run.returncode != 0:
                row["outcome"] = "recipe refused: " + norm(run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "")
                if r.returncode == 0:
                    wrong.append(f"{gw}: the recipe failed to build:\n{run.stdout}")
                rows.append(row)
                continue
            runner = "qemu-aarch64" if manifest.get("bin/" + gw, {}).get("goarch") == "arm64" else "native"
            rel = os.path.relpath(out, BIN)
            res, _ = oracle.run_once({"gateway": gw, "plugins": [rel], "runner": runner})
            row["outcome"] = oracle.outcome_text(res["results"][0]).replace("`", "")
            if not row["outcome"].startswith("loaded"):
                wrong.append(f"{gw}: the recipe's plugin gives {row['outcome']}")
            c = subprocess.run([tool, "compare", out, os.path.join(BIN, gw)], stdout=subprocess.PIPE, text=True)
            row["compare"] = "loads" if c.returncode == 0 else f"exit {c.returncode}"
            if (c.returncode == 0) != row["outcome"].startswith("loaded"):
                wrong.append(f"{gw}: compare says {row['compare']} of the recipe's plugin, the gateway {row['outcome']}")
            print(f"followrecipe: {gw}: {row['outcome']}", flush=True)
            rows.append(row)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    loaded = sum(1 for r in rows if r.get("outcome", "").startswith("loaded"))
    print(f"followrecipe: {len(rows)} gateways; {loaded} load the recipe's plugin; "
          f"{sum(1 for r in rows if r['recipeStatus'] == 1)} recipes say no build can match")
    publish("followrecipe", "recipes.json", rows, lambda r: (r["gateway"],), update)
    if wrong:
        print("followrecipe: recipes that do not work:\n  " + "\n  ".join(wrong))
        sys.exit(1)


if __name__ == "__main__":
    main()
