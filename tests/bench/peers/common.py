"""Shared pieces of the peer-simulator scripts in this folder (brian2_net.py, nest_net.py,
annarchy_net.py): the command line, stdout hygiene and the spike statistics.

Each script prints exactly one JSON object on stdout. Simulators (and the compilers they run)
write banners and build logs to file descriptor 1 from C/C++ and child processes, which
contextlib.redirect_stdout cannot catch, so `claim_stdout()` moves fd 1 onto stderr for the
whole run and hands back a private copy of the real stdout for the JSON.
"""
import argparse
import json
import os
import sys

import numpy as np

# Population split of Tempora's presets (models/*.json): E = first N_E neurons, I = the rest.
SIZES = {'cuba': (3200, 800), 'coba': (3200, 800), 'brunel': (10000, 2500)}

# Population-rate oscillation, as Tempora's engine/src/network/spectrum.rs measures it.
DT_S = 1e-4                      # bin width = every script's time step, 0.1 ms
OSC_TRANSIENT_S = 0.1            # left out at the start
OSC_BAND_HZ = (5.0, 500.0)       # band searched for the peak


def parse_args(description, models=('cuba', 'coba', 'brunel')):
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--model', required=True, choices=models)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--duration', type=float, default=1.0, help='simulated time in seconds')
    p.add_argument('--g', type=float, default=5.0, help='brunel: relative inhibitory strength')
    p.add_argument('--eta', type=float, default=2.0, help='brunel: nu_ext / nu_thr')
    p.add_argument('--connectivity', choices=('probability', 'indegree'), default='probability',
                   help='probability: Bernoulli per pair (p=0.02 cuba/coba, 0.1 brunel); '
                        'indegree: fixed in-degree C = int(p * N_pre) per target')
    p.add_argument('--save-spikes', metavar='NPZ', default=None,
                   help='also write the spikes (0-based neuron index i, time t in s) to this .npz')
    return p


def load_synapses(directory, model, source):
    """The pairs (i in `source`, j in the whole group, E first) of every projection from
    population `source` of the network Tempora wrote with `tempora run MODEL --synapses DIR`."""
    with open(os.path.join(directory, 'synapses.json')) as f:
        manifest = json.load(f)
    if manifest['model'] != model:
        sys.exit(f"{directory} holds the synapses of {manifest['model']}, not {model}")
    ne, _ = SIZES[model]
    offset = {'E': 0, 'I': ne}
    pairs = [(np.load(os.path.join(directory, p['stem'] + '.source.npy')).astype(np.int64),
              np.load(os.path.join(directory, p['stem'] + '.target.npy')).astype(np.int64)
              + offset[p['target']])
             for p in manifest['projections'] if p['source'] == source]
    if not pairs:
        sys.exit(f'{directory}: no projection from {source}')
    return np.concatenate([i for i, _ in pairs]), np.concatenate([j for _, j in pairs])


def save_spikes(path, senders, times_s):
    if path:
        np.savez_compressed(path, i=np.asarray(senders, dtype=np.int32),
                            t=np.asarray(times_s, dtype=np.float64))


def claim_stdout():
    """Redirect fd 1 (and sys.stdout) to stderr; return a text stream on the original stdout."""
    sys.stdout.flush()
    real = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(real, 'w')


def emit(out, result):
    # the machine's load when the run ended: timings on a busy 2-core machine are not comparable
    result['loadavg_1m_at_end'] = os.getloadavg()[0]
    out.write(json.dumps(result, indent=2, sort_keys=False) + '\n')
    out.flush()


def oscillation(times_s, duration_s, dt=DT_S):
    """Peak of the periodogram of a population's spike count per dt bin after the transient:
    {peak_hz, power_ratio = peak power / mean power over the band}, or None when less than
    0.2 s remains or the counts are constant. Same steps as Tempora's spectrum.rs (|FFT|^2 of
    the mean-removed counts, bins k = 1 .. len/2 - 1 inside the band); a spike at time t goes
    to bin round(t/dt), so NEST's end-of-step times and Brian2's start-of-step times differ by
    at most one bin, which does not change the power spectrum."""
    steps = int(round(duration_s / dt))
    skip = int(round(OSC_TRANSIENT_S / dt))
    if (steps - skip) * dt < 0.2:
        return None
    idx = np.clip(np.rint(np.asarray(times_s, dtype=np.float64) / dt).astype(np.int64), 0, steps - 1)
    x = np.bincount(idx, minlength=steps)[skip:].astype(np.float64)
    power = np.abs(np.fft.fft(x - x.mean())) ** 2
    k = np.arange(1, len(x) // 2)
    f = k / (len(x) * dt)
    band = (f >= OSC_BAND_HZ[0]) & (f <= OSC_BAND_HZ[1])
    p, f = power[k][band], f[band]
    if p.size == 0 or p.mean() <= 0:
        return None
    j = int(np.argmax(p))
    return {'peak_hz': float(f[j]), 'power_ratio': float(p[j] / p.mean())}


def population_stats(senders, times_s, first, n, duration_s):
    """Statistics of neurons [first, first+n) from flat arrays of 0-based neuron indices and
    spike times in seconds: rate (spikes / (N*T)), mean CV of the ISIs over neurons with >= 3
    spikes (numpy std, ddof=0), the fraction of neurons with no spike, and the population
    rate's oscillation (see `oscillation`)."""
    senders = np.asarray(senders, dtype=np.int64)
    times_s = np.asarray(times_s, dtype=np.float64)
    sel = (senders >= first) & (senders < first + n)
    s = senders[sel] - first
    t = times_s[sel]
    order = np.lexsort((t, s))
    s, t = s[order], t[order]
    counts = np.bincount(s, minlength=n)
    cvs = []
    starts = np.concatenate(([0], np.cumsum(counts)))
    for k in np.nonzero(counts >= 3)[0]:
        isi = np.diff(t[starts[k]:starts[k + 1]])
        m = isi.mean()
        if m > 0:
            cvs.append(isi.std() / m)
    return {
        'n': int(n),
        'spikes': int(counts.sum()),
        'rate_hz': float(counts.sum() / (n * duration_s)),
        'cv_isi_mean': float(np.mean(cvs)) if cvs else None,
        'cv_neurons': len(cvs),
        'silent_fraction': float(np.mean(counts == 0)),
        'oscillation': oscillation(t, duration_s),
    }


def all_stats(model, senders, times_s, duration_s):
    ne, ni = SIZES[model]
    return {
        'E': population_stats(senders, times_s, 0, ne, duration_s),
        'I': population_stats(senders, times_s, ne, ni, duration_s),
    }
