"""Benchmark of the drawing of lots: a whole cycle (selection + every year's reviewers) for all current parties.

    .venv/bin/python benchmarks/bench_draw_cycle.py [--runs 5] [--quality-seeds 20]

Each timed run is a fresh Python process (so memory is that run's own peak); it reports the time of
the draw itself (imports excluded), the process's wall time and its peak resident memory. Then
two quality figures over ``--quality-seeds`` seeds (see docs/draws.md).
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
    args = parser.parse_args()
    runs = [child(seed) for seed in range(args.runs)]
    for i, r in enumerate(runs):
        print(f"run {i}: draw {r['draw']:.2f} s, process {r['total']:.2f} s, peak {r['rss_mb']:.0f} MB, "
              f"{r['assignments']} assignments")
    draw = [r["draw"] for r in runs]
    rss = [r["rss_mb"] for r in runs]
    print(f"median draw time {statistics.median(draw):.2f} s (max {max(draw):.2f} s; target < 2 s); "
          f"median peak memory {statistics.median(rss):.0f} MB (max {max(rss):.0f} MB; target < 300 MB)")
    if args.quality_seeds:
        started = time.perf_counter()
        found = quality(args.quality_seeds)
        pair = [f["one_pair"] for f in found]
        legal = [f["legal_match"] for f in found]
        print(f"over {len(found)} seeds ({time.perf_counter() - started:.0f} s):")
        print(f"  one pair for all instruments: mean {statistics.mean(pair):.1%}, min {min(pair):.1%}")
        print(f"  same-region reviewer of the same legal system: mean {statistics.mean(legal):.1%}, "
              f"min {min(legal):.1%} (states with a known group and legal system)")


if __name__ == "__main__":
    main()
