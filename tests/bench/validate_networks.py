"""Validate Tempora's cuba / coba / brunel presets against Brian2, NEST and ANNarchy over seeds.

Cases: cuba and coba (default seeds 1..5, 1 s; Brian2, NEST, ANNarchy) and the four regimes
of Brunel (2000) with Bernoulli connectivity p = 0.1, as Brian2's example (default seeds 1..2,
1 s; Brian2 and NEST): A (g 3, eta 2), B (g 6, eta 4), C (g 5, eta 2), D (g 4.5, eta 0.9).
Every run is sequential and niced; the peers are the scripts in peers/ (see peers/RESULTS.md
for how each writes the models).

Statistics, per population (E = first 3200 / 10000 neurons, I = the rest), all computed here
from each simulator's spikes by peers/common.py, so every simulator is measured identically:
  rate    spikes / (N T), Hz
  cv      mean over neurons with >= 3 spikes of std(ISI) / mean(ISI)
  silent  fraction of neurons without a spike
  brunel only, the population rate's oscillation: the periodogram of the population's spike
  count in 0.1 ms bins after the first 100 ms, searched in 5-500 Hz:
  peak_hz     frequency of its peak
  power_ratio the peak's power over the band's mean power (noise alone gives about 5-15)

Agreement rule. For a statistic, with m = the mean over seeds and se = sd / sqrt(n) the
seed-to-seed standard error (sd with ddof 1; se = 0 with a single seed), Tempora agrees with a
peer when
    |m_tempora - m_peer| <= 3 * sqrt(se_tempora^2 + se_peer^2) + floor
with floor = 0.05 Hz (rate), 0.01 (cv), 0.005 (silent), one frequency bin 1/(T - 0.1 s)
(peak_hz), and for power_ratio the rule is applied to log10(power_ratio) with floor 0.1.
peak_hz is only compared when both sides' mean power_ratio is >= 20 (otherwise there is no
peak to compare and the verdict is "no peak"). With 2 seeds the se is itself very uncertain:
read the Brunel verdicts as a screen, not a test.

Same network (--same-network): a drawn network's rate in Brunel's fluctuation-driven regimes
varies by about 10 % from one draw to the next (D at 2 s: sd 0.47 Hz over 20 seeds, mean
5.2 Hz), so a few seeds of two simulators that each draw their own networks differ by chance.
With --same-network, Tempora writes each seed's synapses (`tempora run --synapses DIR`) and
Brian2 runs those very pairs (`brian2_net.py --synapses DIR`); NEST and ANNarchy, which draw
their own, are left out. The same rule applies, with the seed-to-seed spread of the networks in
it (conservative for paired runs).

Usage (from /work/main; PY=$(bash tests/bench/setup_peers.sh)):
    nice -n 10 $PY tests/bench/validate_networks.py [--tempora PATH] [--seeds N] [--duration T]
        [--out report.json] [--markdown report.md] [--only cuba,coba,brunel-A,...]
        [--same-network] [--tempora-seeds N]
Prints the Markdown table on stdout (progress on stderr). Exit status 0 unless a run failed.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, 'peers')
sys.path.insert(0, PEERS)
import common  # noqa: E402  (the peers' statistics, reused for Tempora's spikes)
import numpy as np  # noqa: E402

ALL_PEERS = ('brian2', 'nest', 'annarchy')
SIM_NAMES = {'tempora': 'Tempora', 'brian2': 'Brian2', 'nest': 'NEST', 'annarchy': 'ANNarchy'}
# name: (model, brunel g/eta or None, peers, default number of seeds)
CASES = {
    'cuba': ('cuba', None, ALL_PEERS, 5),
    'coba': ('coba', None, ALL_PEERS, 5),
    'brunel-A': ('brunel', (3.0, 2.0), ('brian2', 'nest'), 2),
    'brunel-B': ('brunel', (6.0, 4.0), ('brian2', 'nest'), 2),
    'brunel-C': ('brunel', (5.0, 2.0), ('brian2', 'nest'), 2),
    'brunel-D': ('brunel', (4.5, 0.9), ('brian2', 'nest'), 2),
}
STATS = ('rate_hz', 'cv_isi_mean', 'silent_fraction')
OSC_STATS = ('peak_hz', 'power_ratio')
FLOORS = {'rate_hz': 0.05, 'cv_isi_mean': 0.01, 'silent_fraction': 0.005, 'power_ratio': 0.1}
MIN_PEAK_RATIO = 20.0


def flat(pops):
    """{E: {rate_hz, ..., oscillation}} -> {E: {rate_hz, cv_isi_mean, silent_fraction, peak_hz, power_ratio}}."""
    out = {}
    for p, s in pops.items():
        osc = s.get('oscillation') or {}
        out[p] = {k: s.get(k) for k in STATS}
        out[p].update({k: osc.get(k) for k in OSC_STATS})
    return out


def case_peers(args, case):
    """The peers a case is compared with: only Brian2 runs Tempora's networks."""
    return ('brian2',) if args.same_network else CASES[case][2]


def synapses_dir(workdir, case, seed):
    """Where Tempora's network of a case and seed goes with --same-network."""
    return os.path.join(workdir, f'synapses-{case}-s{seed}')


def run_tempora(args, case, model, ge, seed, workdir):
    path = os.path.join(workdir, f'tempora-{case}-s{seed}.json')
    cmd = [args.tempora, 'run', model, '--seed', str(seed),
           '--duration', str(args.T), '--out', path]
    if args.same_network:
        cmd += ['--synapses', synapses_dir(workdir, case, seed)]
    if ge is not None:
        cmd += ['--set', f'g={ge[0]}', '--set', f'eta={ge[1]}', '--set', 'connectivity=probability']
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with open(path) as fh:
        d = json.load(fh)
    os.remove(path)  # brunel's spike lists are large
    native = {p: dict(d['stats'][p], oscillation=(d.get('oscillation') or {}).get(p)) for p in ('E', 'I')}
    if d.get('spikes_truncated'):
        return flat(native), 'spike times truncated: Tempora\'s own statistics used'
    # Recompute from the spikes with the peers' code (E indices first, then I, as the peers).
    sp = d['spikes']
    senders = np.concatenate([np.asarray(sp['E']['i']), np.asarray(sp['I']['i']) + sp['E']['size']])
    times = np.concatenate([np.asarray(sp['E']['t_s']), np.asarray(sp['I']['t_s'])])
    ours = common.all_stats(model, senders, times, d['duration_s'])
    # Cross-check against Tempora's own (Rust) figures; they should agree to rounding.
    diff = max(abs((ours[p][k] or 0) - (native[p][k] or 0)) for p in 'EI' for k in STATS)
    return flat(ours), (f'recomputed stats differ from Tempora\'s own by {diff:.3g}' if diff > 1e-9 else None)


def run_peer(args, sim, case, model, ge, seed, workdir):
    cmd = [args.python, os.path.join(PEERS, f'{sim}_net.py'), '--model', model,
           '--seed', str(seed), '--duration', str(args.T)]
    if ge is not None:
        cmd += ['--g', str(ge[0]), '--eta', str(ge[1]), '--connectivity', 'probability']
    if args.same_network:
        cmd += ['--synapses', synapses_dir(workdir, case, seed)]
    env = dict(os.environ, PYNEST_QUIET='1',
               PATH=os.path.dirname(args.python) + os.pathsep + os.environ.get('PATH', ''))
    log = os.path.join(workdir, f'{sim}-{case}-s{seed}.log')
    with open(log, 'w') as err:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, text=True, env=env, timeout=args.timeout)
    if r.returncode != 0:
        raise RuntimeError(f'exit {r.returncode}, see {log}')
    return flat(json.loads(r.stdout)['populations']), None


def describe(values):
    v = [x for x in values if x is not None and math.isfinite(x)]
    n = len(v)
    if n == 0:
        return {'n': 0, 'mean': None, 'sd': None, 'se': None, 'values': values}
    sd = float(np.std(v, ddof=1)) if n > 1 else 0.0
    return {'n': n, 'mean': float(np.mean(v)), 'sd': sd, 'se': sd / math.sqrt(n), 'values': values}


def verdict(stat, t, p, t_ratio, p_ratio, duration):
    """The agreement rule of the docstring; returns {verdict, delta, tol}."""
    if t['n'] == 0 or p['n'] == 0:
        return {'verdict': 'n/a', 'delta': None, 'tol': None}
    if stat == 'peak_hz' and min(t_ratio['mean'] or 0, p_ratio['mean'] or 0) < MIN_PEAK_RATIO:
        return {'verdict': 'no peak', 'delta': None, 'tol': None}
    if stat == 'power_ratio':  # compared on a log scale
        t, p = describe([math.log10(x) for x in t['values'] if x]), describe([math.log10(x) for x in p['values'] if x])
    floor = 1.0 / (duration - common.OSC_TRANSIENT_S) if stat == 'peak_hz' else FLOORS[stat]
    delta = t['mean'] - p['mean']
    tol = 3.0 * math.hypot(t['se'], p['se']) + floor
    return {'verdict': 'agree' if abs(delta) <= tol else 'DIFFER', 'delta': delta, 'tol': tol}


def fmt(d, stat):
    if d['n'] == 0:
        return '-'
    nd = {'rate_hz': 2, 'cv_isi_mean': 3, 'silent_fraction': 3, 'peak_hz': 1, 'power_ratio': 1}[stat]
    return f"{d['mean']:.{nd}f} ± {d['sd']:.{nd}f}"


def fmt_verdict(v, stat):
    if v['delta'] is None:
        return v['verdict']
    unit = ' (log10)' if stat == 'power_ratio' else ''
    word = 'agree' if v['verdict'] == 'agree' else '**DIFFER**'
    return f"{word} (Δ {v['delta']:+.3g}, tol {v['tol']:.2g}{unit})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--tempora', default=os.path.normpath(os.path.join(HERE, '..', '..', 'target', 'release', 'tempora')))
    ap.add_argument('--python', default=sys.executable, help='interpreter of the peers (the venv of setup_peers.sh)')
    ap.add_argument('--seeds', type=int, help='seeds 1..N for every case (default 5 cuba/coba, 2 brunel)')
    ap.add_argument('--tempora-seeds', type=int,
                    help='Tempora alone on seeds up to this many (it is cheap; the peers keep --seeds)')
    ap.add_argument('--duration', type=float, help='simulated seconds for every case (default 1)')
    ap.add_argument('--out', help='write the JSON report here')
    ap.add_argument('--markdown', help='write the Markdown report here')
    ap.add_argument('--only', help='comma-separated cases: ' + ','.join(CASES))
    ap.add_argument('--timeout', type=float, default=3600.0, help='per run, seconds')
    ap.add_argument('--workdir', help='peer logs go here (default: a new folder in /tmp)')
    ap.add_argument('--same-network', action='store_true',
                    help="Brian2 runs Tempora's drawn network of each seed (NEST, ANNarchy left out)")
    args = ap.parse_args()
    os.nice(max(0, 10 - os.nice(0)))  # niceness 10 for us and every child (2 cores, builds may run)
    cases = args.only.split(',') if args.only else list(CASES)
    bad = [c for c in cases if c not in CASES]
    if bad:
        ap.error(f'unknown case(s) {bad}; known: {list(CASES)}')
    duration = args.duration or 1.0
    args.T = duration
    workdir = args.workdir or tempfile.mkdtemp(prefix='tempora-validate-', dir='/tmp')
    os.makedirs(workdir, exist_ok=True)

    runs, failures = [], []
    for case in cases:
        model, ge, _, nseeds = CASES[case]
        peers = case_peers(args, case)
        peer_seeds = args.seeds or nseeds
        for seed in range(1, max(peer_seeds, args.tempora_seeds or 0) + 1):
            for sim in ('tempora',) + (peers if seed <= peer_seeds else ()):
                print(f'== {case} seed {seed} {sim}', file=sys.stderr, flush=True)
                t0 = time.perf_counter()
                rec = {'case': case, 'simulator': sim, 'seed': seed, 'duration_s': duration,
                       'loadavg_1m_before': os.getloadavg()[0]}
                try:
                    if sim == 'tempora':
                        rec['populations'], rec['note'] = run_tempora(args, case, model, ge, seed, workdir)
                    else:
                        rec['populations'], rec['note'] = run_peer(args, sim, case, model, ge, seed, workdir)
                except Exception as e:  # report and go on; the exit status says it
                    rec['error'] = str(e) + (f': {e.stderr.strip()[-500:]}' if getattr(e, 'stderr', None) else '')
                    failures.append(rec)
                    print(f'   FAILED: {rec["error"]}', file=sys.stderr)
                rec['wall_s'] = time.perf_counter() - t0
                runs.append(rec)
            # A brunel network is about 360 MB of arrays.
            shutil.rmtree(synapses_dir(workdir, case, seed), ignore_errors=True)

    # Summaries and verdicts per case x population x statistic.
    summary, lines = [], []
    for case in cases:
        model, peers = CASES[case][0], case_peers(args, case)
        stats = STATS + (OSC_STATS if model == 'brunel' else ())
        for pop in ('E', 'I'):
            desc = {}
            for sim in ('tempora',) + peers:
                ok = [r for r in runs if r['case'] == case and r['simulator'] == sim and 'populations' in r]
                desc[sim] = {s: describe([r['populations'][pop][s] for r in ok]) for s in stats}
            for stat in stats:
                ver = {p: verdict(stat, desc['tempora'][stat], desc[p][stat], desc['tempora'].get('power_ratio'),
                                  desc[p].get('power_ratio'), duration) for p in peers}
                summary.append({'case': case, 'population': pop, 'statistic': stat,
                                'simulators': {s: desc[s][stat] for s in desc}, 'verdicts': ver})
                cells = [fmt(desc[s][stat], stat) if s in desc else '' for s in ('tempora',) + ALL_PEERS]
                vcells = [fmt_verdict(ver[p], stat) if p in ver else '' for p in ALL_PEERS]
                lines.append(f"| {case} | {pop} | {stat} | " + ' | '.join(cells + vcells) + ' |')

    seeds_txt = f'seeds 1..{args.seeds}' if args.seeds else 'seeds 1..5 (cuba, coba), 1..2 (brunel)'
    if args.tempora_seeds:
        seeds_txt += f' (Tempora 1..{args.tempora_seeds})'
    same = "; Brian2 on Tempora's drawn networks (--same-network)" if args.same_network else ''
    md = [f'# Tempora vs peers: {", ".join(cases)}; {seeds_txt}; {duration:g} s simulated{same}', '',
          'Cells: mean ± sd over seeds. Tempora agrees with a peer on a statistic when '
          '|m_T - m_P| <= 3·sqrt(se_T² + se_P²) + floor (se = sd/√n over seeds; floors: rate 0.05 Hz, '
          'CV 0.01, silent 0.005, peak_hz one frequency bin 1/(T - 0.1 s); power_ratio on log10 with '
          f'floor 0.1; peak_hz only when both mean power ratios are >= {MIN_PEAK_RATIO:g}). '
          'All statistics come from each simulator\'s spikes through peers/common.py.', '',
          '| case | pop | statistic | Tempora | Brian2 | NEST | ANNarchy | vs Brian2 | vs NEST | vs ANNarchy |',
          '|---|---|---|---|---|---|---|---|---|---|'] + lines
    if failures:
        md += ['', 'Failed runs:', ''] + [f"* {r['case']} {r['simulator']} seed {r['seed']}: {r['error']}" for r in failures]
    notes = [r for r in runs if r.get('note')]
    if notes:
        md += ['', 'Notes:', ''] + [f"* {r['case']} {r['simulator']} seed {r['seed']}: {r['note']}" for r in notes]
    text = '\n'.join(md) + '\n'
    print(text)
    if args.markdown:
        with open(args.markdown, 'w') as fh:
            fh.write(text)
    if args.out:
        with open(args.out, 'w') as fh:
            json.dump({'cases': cases, 'seeds': args.seeds, 'duration_s': duration, 'tempora': args.tempora,
                       'rule': md[2], 'workdir': workdir, 'runs': runs, 'summary': summary,
                       'failures': len(failures)}, fh, indent=1)
    print(f'peer logs: {workdir}', file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
