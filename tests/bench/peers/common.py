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


def population_stats(senders, times_s, first, n, duration_s):
    """Statistics of neurons [first, first+n) from flat arrays of 0-based neuron indices and
    spike times in seconds: rate (spikes / (N*T)), mean CV of the ISIs over neurons with >= 3
    spikes (numpy std, ddof=0), and the fraction of neurons with no spike."""
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
    }


def all_stats(model, senders, times_s, duration_s):
    ne, ni = SIZES[model]
    return {
        'E': population_stats(senders, times_s, 0, ne, duration_s),
        'I': population_stats(senders, times_s, ne, ni, duration_s),
    }
