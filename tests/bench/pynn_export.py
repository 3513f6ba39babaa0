"""Check Tempora's PyNN export: the script `tempora model NAME --pynn` writes, run with PyNN
0.13.0 on NEST 3.10.0 (pip, tests/bench/requirements.txt), against Tempora's own runs of the
same model, with the agreement rule of validate_networks.py (rates, ISI CVs and silent
fractions per population, over seeds). A run is chaotic: statistics are compared, not spikes.

Usage (from the repository; PY=$(bash tests/bench/setup_peers.sh)):
    nice -n 10 $PY tests/bench/pynn_export.py [--tempora PATH] [--model cuba] [--seeds 3]
        [--duration 1.0] [--markdown out.md]
Prints a Markdown table; exit status 1 if a statistic differs or a run fails.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, 'peers'))
import common  # noqa: E402
import validate_networks as vn  # noqa: E402  (the agreement rule and its helpers)

STATS = vn.STATS


def stats_of(spikes, duration):
    """{population: {rate_hz, cv_isi_mean, silent_fraction}} from Tempora's spike format."""
    out = {}
    for name, s in spikes.items():
        st = common.population_stats(s['i'], s['t_s'], 0, s['size'], duration)
        out[name] = {k: st[k] for k in STATS}
    return out


def main():
    root = os.path.dirname(os.path.dirname(HERE))
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--tempora', default=os.path.join(root, 'target', 'release', 'tempora'))
    ap.add_argument('--model', default='cuba')
    ap.add_argument('--seeds', type=int, default=3)
    ap.add_argument('--duration', type=float, default=1.0)
    ap.add_argument('--markdown', default=None)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix='tempora-pynn-')
    script = os.path.join(work, f'{args.model}_pynn.py')
    with open(script, 'w') as fh:
        subprocess.run([args.tempora, 'model', args.model, '--pynn'], check=True, stdout=fh)
    env = dict(os.environ, PYNEST_QUIET='1',
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', ''))
    runs = {'tempora': [], 'pynn': []}
    for seed in range(1, args.seeds + 1):
        print(f'seed {seed}', file=sys.stderr)
        out = os.path.join(work, f't{seed}.json')
        subprocess.run([args.tempora, 'run', args.model, '--seed', str(seed), '--duration',
                        str(args.duration), '--out', out], check=True, stdout=subprocess.DEVNULL)
        with open(out) as fh:
            runs['tempora'].append(stats_of(json.load(fh)['spikes'], args.duration))
        out = os.path.join(work, f'p{seed}.json')
        subprocess.run([sys.executable, script, '--seed', str(seed), '--duration', str(args.duration),
                        '--out', out], check=True, env=env, stdout=sys.stderr, stderr=subprocess.DEVNULL)
        with open(out) as fh:
            runs['pynn'].append(stats_of(json.load(fh)['spikes'], args.duration))
    lines = [f'# PyNN export of `{args.model}`: Tempora vs the exported script on PyNN 0.13.0 / NEST 3.10.0; '
             f'seeds 1..{args.seeds}, {args.duration} s', '',
             '| pop | statistic | Tempora | PyNN + NEST | verdict |', '|---|---|---|---|---|']
    failed = False
    for pop in runs['tempora'][0]:
        for stat in STATS:
            t = vn.describe([r[pop][stat] for r in runs['tempora']])
            p = vn.describe([r[pop][stat] for r in runs['pynn']])
            v = vn.verdict(stat, t, p, None, None, args.duration)
            failed |= v['verdict'] != 'agree'
            lines.append(f"| {pop} | {stat} | {vn.fmt(t, stat)} | {vn.fmt(p, stat)} | {vn.fmt_verdict(v, stat)} |")
    text = '\n'.join(lines) + '\n'
    print(text)
    if args.markdown:
        with open(args.markdown, 'w') as fh:
            fh.write(text)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
