#!/usr/bin/env python3
"""Compare `changes --format jsonl` of an older build (OLD) with this one's (NEW)
over the same runs: each company is to be listed once in NEW, under the first
of OLD's kinds for it (新增送会商, 新登记且有命中, 不再送会商, 已不在名录, 内容变更),
with every before/after side OLD had unchanged; NEW may fill a side OLD left
blank. Usage: compare-changes.py OLD.jsonl NEW.jsonl"""
import json, sys

order = ["新增送会商", "新登记且有命中", "不再送会商", "已不在名录", "内容变更"]
old = [json.loads(l) for l in open(sys.argv[1])]
new = [json.loads(l) for l in open(sys.argv[2])]
by_key = {}
for c in old:
    by_key.setdefault(c["key"], []).append(c)
new_by_key = {c["key"]: c for c in new}
bad = len(new) - len(new_by_key)  # a company listed twice
equal = filled = 0
for key, cs in by_key.items():
    kind = min((c["kind"] for c in cs), key=order.index)
    n = new_by_key.get(key)
    if n is None or n["kind"] != kind:
        bad += 1
        print("kind", key, [c["kind"] for c in cs], n and n["kind"])
        continue
    o = next(c for c in cs if c["kind"] == kind)
    for side in ("before", "after"):
        if o.get(side):
            if o[side] != n.get(side):
                bad += 1
                print("side", key, side)
            else:
                equal += 1
        elif n.get(side):
            filled += 1
bad += len(set(new_by_key) - set(by_key))
print(f"old rows {len(old)}, companies {len(by_key)}; new rows {len(new)}; sides equal {equal}, filled {filled}; mismatches {bad}")
sys.exit(1 if bad else 0)
