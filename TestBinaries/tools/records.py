"""What the follow tools (followfix.py, followrecipe.py, followdeps.py) share: this checkout's paths
written as <ROOT>, and their record, written to out/ and compared with its committed copy in
TestBinaries/ (or, with --update or when that is missing, written there too)."""
import json, os

import fixtures as fx


def norm(s, scratch=None):
    """Paths of this checkout as <ROOT> (the fixtures embed the directories they were built in)."""
    if s is None:
        return None
    if scratch:
        s = s.replace(scratch, "<SCRATCH>")
    for real, name in ((os.path.realpath(fx.OUT), "<ROOT>/TestBinaries/out"),
                       (os.path.realpath(fx.WORK), "<ROOT>/TestBinaries/work"),
                       (os.path.realpath(os.path.join(fx.ROOT, ".toolchains")), "<ROOT>/.toolchains"),
                       (fx.ROOT, "<ROOT>")):
        s = s.replace(real, name)
    return s


def publish(tool, name, rows, key, update):
    """Writes out/NAME; with `update` (or no committed copy) TestBinaries/NAME too, otherwise says
    which rows (by `key`) differ from it."""
    text = json.dumps({"generatedBy": f"TestBinaries/tools/{tool}.py", "rows": rows}, indent=1, sort_keys=True) + "\n"
    with open(os.path.join(fx.OUT, name), "w") as f:
        f.write(text)
    committed = os.path.join(fx.TB, name)
    if update or not os.path.exists(committed):
        with open(committed, "w") as f:
            f.write(text)
        print(f"{tool}: wrote TestBinaries/{name}")
    elif open(committed).read() != text:
        old = {key(r): r for r in json.load(open(committed))["rows"]}
        for r in rows:
            if old.get(key(r)) != r:
                print(f"{tool}: differs from TestBinaries/{name}: {' '.join(key(r))}")
    else:
        print(f"{tool}: matches the committed TestBinaries/{name}")
