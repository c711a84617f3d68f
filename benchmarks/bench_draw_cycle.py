"""Benchmark of the drawing of lots: a whole cycle (selection + every year's reviewers) for all current parties,
then generated party lists unlike today's (issue 19).

    .venv/bin/python benchmarks/bench_draw_cycle.py [--runs 5] [--quality-seeds 20] [--lists 20] [--seeds 5]

Each timed run is a fresh Python process (so memory is that run's own peak); it reports the time of
the draw itself (imports excluded), the process's wall time and its peak resident memory. Then
two quality figures over ``--quality-seeds`` seeds (see docs/draws.md), with the legal-system
figure's upper bound. Then ``--lists`` generated 190-party lists (``draws/variety.py``, relaxations
recorded as offered) with ``--seeds`` seeds each: every year's reviewer draw of each cycle, the
worst time of one year's draw and the worst peak memory of a process (the targets: 30 s, 300 MB).
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from draws.cycle import simulate
from draws.model import Relaxation
from draws.parties import shipped
parties = shipped()
relax = [Relaxation("R6", (p.iso3,)) for p in parties if p.group is None and p.is_party]
t1 = time.perf_counter()
result = simulate(parties, 2027, 5, int(sys.argv[1]), relaxations=relax)
t2 = time.perf_counter()
print(json.dumps({"draw": t2 - t1, "total": t2 - t0, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "assignments": len(result["assignments"])}))
"""


GENERATED = r"""
import json, resource, sys, time
from draws import cycle, reviewers, rules, variety
from draws.model import Infeasible, index_parties
v = variety.generate(int(sys.argv[1]), n=190)
seed = int(sys.argv[2])
index = index_parties(v.parties)
reviewed = [p.iso3 for p in v.parties if p.is_party or p.iso3 in v.volunteers]
_a, sel = cycle.run("selection", cycle.selection_inputs([index[s] for s in reviewed], 2027, 5), seed)
schedule = {int(y): s for y, s in sel["years"].items()}
deferrals = {2027 + k: s for k, s in v.deferrals.items()}
settings = variety.with_offered_relaxations(index, reviewed, schedule=schedule, deferrals=deferrals)
out = {"list": v.description, "years": [], "outcome": "drawn"}
if settings is None:
    out["outcome"] = "collision"
else:
    history = []
    for year in sorted(schedule)[:int(sys.argv[3])]:
        t = time.perf_counter()
        try:
            drawn = reviewers.draw_year(index, schedule, year, history, settings, seed, deferrals)
        except reviewers.Undecided:
            out["outcome"] = "undecided"
        except Infeasible:
            out["outcome"] = "infeasible"
        out["years"].append(time.perf_counter() - t)
        if out["outcome"] != "drawn":
            break
        history += drawn.assignments
    if out["outcome"] == "drawn" and len(out["years"]) == len(schedule):
        assert rules.check(index, schedule, history, settings, deferrals, complete=True) == []
        out.update(cycle.quality(index, history))
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def generated(lists, seeds, whole):
    """Run each list with each seed in its own process: every year for the first ``whole`` seeds, else the first
    year only (whose model completes the whole cycle, so it is the hardest single draw)."""
    found = []
    for k in range(lists):
        for seed in range(seeds):
            years = 5 if seed < whole else 1
            done = subprocess.run([sys.executable, "-c", GENERATED, str(k), str(seed), str(years)], cwd=ROOT,
                                  capture_output=True, text=True, check=True)
            found.append(json.loads(done.stdout))
            r = found[-1]
            print(f"  list {k} seed {seed}: {r['outcome']}, years {', '.join(f'{t:.1f}' for t in r['years'])} s, "
                  f"peak {r['rss_mb']:.0f} MB ({r['list']})", flush=True)
    return found


def legal_bound(parties):
    """The share of states (known group and legal system) with another party of their group and legal system:
    the most the legal-system figure can reach."""
    known = [p for p in parties if p.group and p.legal_system and p.is_party]
    alike = [p for p in known if any(r.iso3 != p.iso3 and r.is_party and r.group == p.group
                                     and r.legal_system == p.legal_system for r in parties)]
    return len(alike) / len(known)


def child(seed):
    out = subprocess.run([sys.executable, "-c", CHILD, str(seed)], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def quality(seeds):
    sys.path.insert(0, str(ROOT))
    from draws.cycle import quality as figures, simulate
    from draws.model import Assignment, Relaxation
    from draws.parties import shipped

    parties = shipped()
    relax = [Relaxation("R6", (p.iso3,)) for p in parties if p.group is None and p.is_party]
    found = []
    for seed in range(seeds):
        result = simulate(parties, 2027, 5, seed, relaxations=relax)
        found.append(figures(parties, [Assignment.from_json(a) for a in result["assignments"]]))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quality-seeds", type=int, default=20)
    parser.add_argument("--lists", type=int, default=20)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--whole", type=int, default=1, help="seeds per list whose every year is drawn (else the first)")
    args = parser.parse_args()
    runs = [child(seed) for seed in range(args.runs)]
    for i, r in enumerate(runs):
        print(f"run {i}: draw {r['draw']:.2f} s, process {r['total']:.2f} s, peak {r['rss_mb']:.0f} MB, "
              f"{r['assignments']} assignments")
    draw = [r["draw"] for r in runs]
    rss = [r["rss_mb"] for r in runs]
    if runs:
        print(f"median draw time {statistics.median(draw):.2f} s (max {max(draw):.2f} s; target < 2 s); "
              f"median peak memory {statistics.median(rss):.0f} MB (max {max(rss):.0f} MB; target < 300 MB)")
    if args.quality_seeds:
        started = time.perf_counter()
        found = quality(args.quality_seeds)
        pair = [f["one_pair"] for f in found]
        legal = [f["legal_match"] for f in found]
        print(f"over {len(found)} seeds ({time.perf_counter() - started:.0f} s):")
        print(f"  one pair for all instruments: mean {statistics.mean(pair):.1%}, min {min(pair):.1%}")
        from draws.parties import shipped

        print(f"  same-region reviewer of the same legal system: mean {statistics.mean(legal):.1%}, "
              f"min {min(legal):.1%} (states with a known group and legal system; at most "
              f"{legal_bound(shipped()):.1%} is possible)")
    if args.lists:
        started = time.perf_counter()
        print(f"generated 190-party lists: {args.lists} lists x {args.seeds} seeds (every year for {args.whole} seed(s), "
              "else the first year)")
        found = generated(args.lists, args.seeds, args.whole)
        years = [t for r in found for t in r["years"]]
        outcomes = {o: sum(r["outcome"] == o for r in found) for o in ("drawn", "collision", "infeasible", "undecided")}
        print(f"  outcomes: {outcomes} ({time.perf_counter() - started:.0f} s)")
        if years:
            print(f"  one year's draw: median {statistics.median(years):.1f} s, worst {max(years):.1f} s (target 30 s); "
                  f"worst peak memory {max(r['rss_mb'] for r in found):.0f} MB (target 300 MB)")
        drawn = [r for r in found if r["outcome"] == "drawn" and "one_pair" in r]
        if drawn:
            print(f"  one pair: mean {statistics.mean(r['one_pair'] for r in drawn):.1%}; legal system: mean "
                  f"{statistics.mean(r['legal_match'] for r in drawn):.1%}")


if __name__ == "__main__":
    main()
