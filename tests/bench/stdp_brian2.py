"""Brian2 reference for Tempora's `stdp` preset: Brian2's examples/synapses/STDP.py (Song,
Miller & Abbott 2000) on the cpp_standalone device, timed on this machine, next to Tempora's
native run of the same preset in the same invocation.

Usage (from the repo root; Brian2 from PyPI with a numpy it supports, see README):
    python tests/bench/stdp_brian2.py [--duration 100] [--tempora target/release/tempora]
        [--driving membrane|reset]

Prints JSON: wall times (Brian2: code generation + compilation + run, and the run alone as
Brian2 reports it), Tempora's wall time, their ratios, and the final weight distribution of each.
"""
import argparse
import json
import os
import subprocess
import tempfile
import time

from brian2 import (NeuronGroup, PoissonGroup, Synapses, device, defaultclock, ms, mV, Hz,
                    second, run, set_device, prefs)


def brian2_stdp(duration_s, build_dir, driving='membrane'):
    set_device('cpp_standalone', directory=build_dir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = 0  # one thread, as Tempora's run
    defaultclock.dt = 0.1 * ms
    # The example's parameters, verbatim.
    N = 1000
    taum = 10 * ms
    taupre = 20 * ms
    taupost = taupre
    Ee = 0 * mV
    vt = -54 * mV
    vr = -60 * mV
    El = -74 * mV
    taue = 5 * ms
    F = 15 * Hz
    gmax = .01
    dApre = .01
    dApost = -dApre * taupre / taupost * 1.05
    dApost *= gmax
    dApre *= gmax
    # The example's equations (since Brian2 fd3c90dd, Feb 2020: `Ee-v`); `--driving reset` runs
    # the form before it (`Ee-vr`, a frozen driving force), as Tempora's `driving=reset`.
    force = 'Ee-v' if driving == 'membrane' else 'Ee-vr'
    eqs_neurons = f'''
    dv/dt = (ge * ({force}) + El - v) / taum : volt
    dge/dt = -ge / taue : 1
    '''
    poisson_input = PoissonGroup(N, rates=F)
    neurons = NeuronGroup(1, eqs_neurons, threshold='v>vt', reset='v = vr', method='euler')
    S = Synapses(poisson_input, neurons,
                 '''w : 1
                    dApre/dt = -Apre / taupre : 1 (event-driven)
                    dApost/dt = -Apost / taupost : 1 (event-driven)''',
                 on_pre='''ge += w
                        Apre += dApre
                        w = clip(w + Apost, 0, gmax)''',
                 on_post='''Apost += dApost
                         w = clip(w + Apre, 0, gmax)''',
                 )
    S.connect()
    S.w = 'rand() * gmax'
    run(duration_s * second)
    started = time.perf_counter()
    device.build(directory=build_dir, compile=True, run=True, debug=False)
    total = time.perf_counter() - started
    run_only = float(device._last_run_time)
    return total, run_only, [float(x) for x in S.w[:]], gmax


def distribution(weights, gmax):
    n = len(weights)
    return {
        'near_0': sum(w <= 0.1 * gmax for w in weights) / n,
        'near_gmax': sum(w >= 0.9 * gmax for w in weights) / n,
        'mean_over_gmax': sum(weights) / n / gmax,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--duration', type=float, default=100.0)
    parser.add_argument('--tempora', default='target/release/tempora')
    parser.add_argument('--driving', choices=['membrane', 'reset'], default='membrane')
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as build_dir:
        total, run_only, w_brian, gmax = brian2_stdp(args.duration, build_dir, args.driving)

    out = os.path.join(tempfile.gettempdir(), 'tempora-stdp.json')
    started = time.perf_counter()
    subprocess.run([args.tempora, 'run', 'stdp', '--seed', '1', '--duration', str(args.duration),
                    '--set', f'driving={args.driving}', '--out', out], check=True)
    tempora_process = time.perf_counter() - started
    with open(out) as f:
        t = json.load(f)
    result = {
        'duration_s': args.duration,
        'brian2_cpp_standalone': {
            'build_compile_run_s': total,
            'run_s': run_only,
            'weights': distribution(w_brian, gmax),
        },
        'tempora_native': {
            'run_s': t['wall_time_s'],
            'process_s': tempora_process,
            'weights': distribution(t['final_weights'], gmax),
            'output_spikes': len(t['output_spike_times_s']),
        },
        'speedup_run_vs_brian2_run': run_only / t['wall_time_s'],
        'speedup_process_vs_brian2_total': total / tempora_process,
    }
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
