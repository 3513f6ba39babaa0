"""Time the peers on Tempora's benchmark networks, then run `tempora bench networks --peers` beside them.

In one sequential, niced run (seed 1): cuba and coba at 10 s simulated and brunel (g 5, eta 2,
Bernoulli p 0.1) at 1 s, each in
  * Brian2 cpp_standalone, one thread: sim_time_s = device._last_run_time;
  * NEST 3.10, local_num_threads 1: sim_time_s = the wall time of nest.Simulate;
  * ANNarchy 5, num_threads 1: sim_time_s = the wall time of net.simulate;
through the scripts in peers/. For every run, process_time_s = the wall time of the whole
Python process, measured from outside (interpreter start-up, imports, code generation and
compilation, network construction, simulation, analysis), and build_time_s is the script's
own figure (see peers/RESULTS.md). The 1-minute load average before each run is recorded: on
this 2-core machine a concurrent build inflates every timing.

Writes the figures as JSON keyed by network (cuba, coba, brunel: {brian2, nest, annarchy}),
plus "_meta", to --out, then runs `tempora bench networks --peers <that file>` (Tempora always
times its own 10 s / 1 s runs) and prints its JSON. --quick (1 s cuba/coba, 0.2 s brunel) is
only a check that everything runs: its peer figures are not comparable with Tempora's.

Usage (from /work/main; PY=$(bash tests/bench/setup_peers.sh)):
    nice -n 10 $PY tests/bench/bench_networks.py [--tempora PATH] [--out peers.json] [--quick]
"""
import argparse
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, 'peers')
SIMS = ('brian2', 'nest', 'annarchy')
DURATIONS = {'cuba': 10.0, 'coba': 10.0, 'brunel': 1.0}
QUICK = {'cuba': 1.0, 'coba': 1.0, 'brunel': 0.2}


def version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def run_peer(python, sim, model, duration, timeout):
    """One peer run; returns its figures (or an error) with the load before it."""
    cmd = [python, os.path.join(PEERS, f'{sim}_net.py'),
           '--model', model, '--seed', '1', '--duration', str(duration)]
    env = dict(os.environ, PYNEST_QUIET='1',
               PATH=os.path.dirname(python) + os.pathsep + os.environ.get('PATH', ''))  # ANNarchy: cmake
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, timeout=timeout)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        return {'error': f'exit {r.returncode}: {r.stderr.strip()[-800:]}', 'loadavg_1m_before': load}
    d = json.loads(r.stdout)
    pops = d['populations']
    return {
        'simulated_s': duration,
        'sim_time_s': round(d['sim_time_s'], 4),
        'process_time_s': round(wall, 3),
        'build_time_s': None if d.get('build_time_s') is None else round(d['build_time_s'], 3),
        'spikes': sum(p['spikes'] for p in pops.values()),
        'rate_hz': {k: round(p['rate_hz'], 3) for k, p in pops.items()},
        'loadavg_1m_before': round(load, 2),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--tempora', default=os.path.normpath(os.path.join(HERE, '..', '..', 'target', 'release', 'tempora')))
    ap.add_argument('--python', default=sys.executable, help='interpreter of the peers (the venv of setup_peers.sh)')
    ap.add_argument('--out', default='peers.json', help='the peers\' figures, given to tempora --peers')
    ap.add_argument('--quick', action='store_true', help='1 s cuba/coba, 0.2 s brunel: a smoke test only')
    ap.add_argument('--timeout', type=float, default=3600.0, help='per run, seconds')
    args = ap.parse_args()
    os.nice(max(0, 10 - os.nice(0)))  # niceness 10 for us and every child (2 cores, builds may run)
    durations = QUICK if args.quick else DURATIONS

    peers = {'_meta': {
        'quick': args.quick, 'seed': 1, 'threads': 1, 'nice': 10, 'host': platform.node(),
        'cpus': os.cpu_count(), 'versions': {'brian2': version('brian2'), 'nest': version('nest-simulator'),
                                             'annarchy': version('annarchy'), 'python': platform.python_version()},
        'process_time_s': 'wall time of the whole peer process, measured from outside',
    }}
    failed = False
    for model, duration in durations.items():
        peers[model] = {}
        for sim in SIMS:  # sequential: the machine has 2 cores
            print(f'== {model} {duration:g} s {sim}', file=sys.stderr, flush=True)
            try:
                fig = run_peer(args.python, sim, model, duration, args.timeout)
            except (subprocess.TimeoutExpired, ValueError) as e:
                fig = {'error': str(e)}
            failed |= 'error' in fig
            print(f'   {fig}', file=sys.stderr, flush=True)
            peers[model][sim] = fig

    # Tempora last; its load goes into the file it reads.
    peers['_meta']['tempora_loadavg_1m_before'] = round(os.getloadavg()[0], 2)
    with open(args.out, 'w') as fh:
        json.dump(peers, fh, indent=1)
    print(f'== tempora bench networks --peers {args.out}', file=sys.stderr, flush=True)
    r = subprocess.run([args.tempora, 'bench', 'networks', '--peers', args.out],
                       stdout=subprocess.PIPE, text=True)  # its table goes to our stderr
    print(r.stdout, end='')
    return 1 if failed or r.returncode != 0 else 0


if __name__ == '__main__':
    sys.exit(main())
