"""Print a Markdown table of the peer-run JSON files in a folder (default: ./results)."""
import glob
import json
import os
import sys

folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), 'results')
rows = []
for f in sorted(glob.glob(os.path.join(folder, '*.json'))):
    with open(f) as fh:
        d = json.load(fh)
    rows.append(d)
order = {'cuba': 0, 'coba': 1, 'brunel': 2}
sims = {'brian2': 0, 'nest': 1, 'annarchy': 2}
rows.sort(key=lambda d: (order[d['model']], sims[d['simulator']], d['seed']))


def f(x, nd=2):
    return '-' if x is None else f'{x:.{nd}f}'


print('| model | simulator | seed | E rate (Hz) | E CV | E silent | I rate (Hz) | I CV | I silent | sim (s) | build (s) | process (s) |')
print('|---|---|---|---|---|---|---|---|---|---|---|---|')
for d in rows:
    e, i = d['populations']['E'], d['populations']['I']
    print(f"| {d['model']} | {d['simulator']} | {d['seed']} | {f(e['rate_hz'])} | {f(e['cv_isi_mean'], 3)} | "
          f"{f(e['silent_fraction'], 3)} | {f(i['rate_hz'])} | {f(i['cv_isi_mean'], 3)} | {f(i['silent_fraction'], 3)} | "
          f"{f(d['sim_time_s'], 3)} | {f(d.get('build_time_s'), 1)} | {f(d['process_time_s'], 1)} |")

# Means over seeds per (model, simulator)
print()
print('| model | simulator | seeds | E rate mean | E CV mean | E silent mean | I rate mean | I CV mean | I silent mean | sim mean (s) | process mean (s) |')
print('|---|---|---|---|---|---|---|---|---|---|---|')
groups = {}
for d in rows:
    groups.setdefault((d['model'], d['simulator']), []).append(d)
for (model, sim), ds in groups.items():
    def mean(get):
        v = [get(d) for d in ds]
        v = [x for x in v if x is not None]
        return sum(v) / len(v) if v else None
    P = lambda d, p, k: d['populations'][p][k]  # noqa: E731
    print(f"| {model} | {sim} | {len(ds)} | {f(mean(lambda d: P(d, 'E', 'rate_hz')))} | {f(mean(lambda d: P(d, 'E', 'cv_isi_mean')), 3)} | "
          f"{f(mean(lambda d: P(d, 'E', 'silent_fraction')), 3)} | {f(mean(lambda d: P(d, 'I', 'rate_hz')))} | "
          f"{f(mean(lambda d: P(d, 'I', 'cv_isi_mean')), 3)} | {f(mean(lambda d: P(d, 'I', 'silent_fraction')), 3)} | "
          f"{f(mean(lambda d: d['sim_time_s']), 3)} | {f(mean(lambda d: d['process_time_s']), 1)} |")
