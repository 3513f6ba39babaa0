"""Brian2 2.11 (cpp_standalone, one thread) runs of Tempora's cuba / coba / brunel presets,
written as the reference scripts write them (see /work/shared/reference-models.md):

* cuba:   Brian2 examples/CUBA.py, verbatim equations, method='exact'.
* coba:   Brian 1 examples/misc/COBA.py translated to Brian2 with absolute voltages
          (El=-60 mV, Ee=0, Ei=-80 mV, Vt=-50, Vr=-60), conductances in leak units,
          method='euler', (unless refractory) on v only.
* brunel: Brian2 examples/frompapers/Brunel_2000.py (PoissonInput, delay 1.5 ms).

Usage:
    python brian2_net.py --model cuba|coba|brunel --seed S --duration T \
        [--g G --eta E --connectivity probability|indegree] [--synapses DIR] [--keep]

--synapses DIR runs the network Tempora drew (`tempora run MODEL --seed S --synapses DIR`)
instead of drawing one: only the pairs are read (weights and delays stay the script's, which
are the presets' constants).

Prints one JSON object on stdout (everything else goes to stderr).
Timings: sim_time_s = device._last_run_time (the simulation loop only, as the generated
binary measures it); build_time_s = code generation + compilation (the device.build call
minus the binary's run); process_time_s = wall time from the top of this script to the end.
"""
import time

T_START = time.perf_counter()

import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

args_parser = common.parse_args(__doc__.splitlines()[0])
args_parser.add_argument('--keep', action='store_true', help='keep the build directory')
args_parser.add_argument('--synapses', metavar='DIR', default=None,
                         help="the pairs of Tempora's network (tempora run --synapses DIR)")
args = args_parser.parse_args()
OUT = common.claim_stdout()

import numpy as np  # noqa: E402
import brian2  # noqa: E402
from brian2 import (NeuronGroup, Synapses, SpikeMonitor, PoissonInput, defaultclock, device,  # noqa: E402
                    set_device, prefs, seed, run, ms, mV, second)

build_dir = tempfile.mkdtemp(prefix=f'tempora-brian2-{args.model}-s{args.seed}-', dir='/tmp')
set_device('cpp_standalone', build_on_run=False, directory=build_dir)
prefs.devices.cpp_standalone.openmp_threads = 0  # single-threaded, no OpenMP
defaultclock.dt = 0.1 * ms
seed(args.seed)

notes = []


def connect(syn, p, n_pre, source, condition=None):
    """Bernoulli p per pair (Brian2's default connect), or a fixed in-degree int(p*n_pre) per
    target drawn without replacement (Brian2's sample(..., size=...) generator over i); or the
    pairs of Tempora's network from population `source` (--synapses)."""
    if args.synapses:
        i, j = common.load_synapses(args.synapses, args.model, source)
        syn.connect(i=i, j=j)
    elif args.connectivity == 'probability':
        if condition is None:
            syn.connect(p=p)
        else:
            syn.connect(condition, p=p)
    else:
        c = int(p * n_pre)
        syn.connect(i=f'k for k in sample(N_pre, size={c})')


if args.model == 'cuba':
    # Brian2 examples/CUBA.py
    taum = 20 * ms
    taue = 5 * ms
    taui = 10 * ms
    Vt = -50 * mV
    Vr = -60 * mV
    El = -49 * mV
    eqs = '''
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    '''
    P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='exact')
    P.v = 'Vr + rand() * (Vt - Vr)'
    P.ge = 0 * mV
    P.gi = 0 * mV
    we = (60 * 0.27 / 10) * mV  # excitatory synaptic weight (voltage)
    wi = (-20 * 4.5 / 10) * mV  # inhibitory synaptic weight
    if args.connectivity == 'probability' and not args.synapses:
        # verbatim: Synapses over the whole group with a condition on i
        Ce = Synapses(P, P, on_pre='ge += we')
        Ci = Synapses(P, P, on_pre='gi += wi')
        Ce.connect('i<3200', p=0.02)
        Ci.connect('i>=3200', p=0.02)
    else:
        Ce = Synapses(P[:3200], P, on_pre='ge += we')
        Ci = Synapses(P[3200:], P, on_pre='gi += wi')
        connect(Ce, 0.02, 3200, 'E')
        connect(Ci, 0.02, 800, 'I')
    params = {'we_mV': 1.62, 'wi_mV': -9.0, 'p': 0.02, 'method': 'exact', 'delay_ms': 0.0}

elif args.model == 'coba':
    # Brian 1 examples/misc/COBA.py in absolute voltages, Brian2 syntax
    taum = 20 * ms
    taue = 5 * ms
    taui = 10 * ms
    El = -60 * mV
    Ee = 0 * mV
    Ei = -80 * mV
    Vt = -50 * mV
    Vr = -60 * mV
    eqs = '''
    dv/dt = (El - v + ge*(Ee-v) + gi*(Ei-v))/taum : volt (unless refractory)
    dge/dt = -ge/taue : 1
    dgi/dt = -gi/taui : 1
    '''
    P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='euler')
    we = 6. / 10.   # excitatory synaptic weight (leak units)
    wi = 67. / 10.  # inhibitory synaptic weight (leak units)
    Ce = Synapses(P[:3200], P, on_pre='ge += we')
    Ci = Synapses(P[3200:], P, on_pre='gi += wi')
    connect(Ce, 0.02, 3200, 'E')
    connect(Ci, 0.02, 800, 'I')
    P.v = '-65*mV + 5*mV*randn()'
    P.ge = '4 + 1.5*randn()'
    P.gi = '20 + 12*randn()'
    params = {'we': we, 'wi': wi, 'p': 0.02, 'method': 'euler', 'delay_ms': 0.0}

else:
    # Brian2 examples/frompapers/Brunel_2000.py, sim() body
    N_E = 10000
    gamma = 0.25
    N_I = round(gamma * N_E)
    N = N_E + N_I
    epsilon = 0.1
    C_E = epsilon * N_E
    C_ext = int(C_E)
    tau = 20 * ms
    theta = 20 * mV
    V_r = 10 * mV
    tau_rp = 2 * ms
    J = 0.1 * mV
    D = 1.5 * ms
    g = args.g
    nu_thr = theta / (J * C_E * tau)
    neurons = NeuronGroup(N,
                          """
                          dv/dt = -v/tau : volt (unless refractory)
                          """,
                          threshold="v > theta",
                          reset="v = V_r",
                          refractory=tau_rp,
                          method="exact")
    excitatory_neurons = neurons[:N_E]
    inhibitory_neurons = neurons[N_E:]
    exc_synapses = Synapses(excitatory_neurons, target=neurons, on_pre="v += J", delay=D)
    connect(exc_synapses, epsilon, N_E, 'E')
    inhib_synapses = Synapses(inhibitory_neurons, target=neurons, on_pre="v += -g*J", delay=D)
    connect(inhib_synapses, epsilon, N_I, 'I')
    nu_ext = args.eta * nu_thr
    external_poisson_input = PoissonInput(target=neurons, target_var="v", N=C_ext,
                                          rate=nu_ext, weight=J)
    P = neurons
    params = {'g': g, 'eta': args.eta, 'nu_ext_hz': float(nu_ext), 'J_mV': 0.1,
              'delay_ms': 1.5, 'p': epsilon, 'V_r_mV': 10.0, 'method': 'exact'}

if args.synapses:
    notes.append(f"the pairs of Tempora's network from {args.synapses} (tempora run --synapses)")
if args.connectivity == 'indegree':
    notes.append('fixed in-degree via connect(i="k for k in sample(N_pre, size=C)"): '
                 'C distinct sources per target (no multapses; NEST fixed_indegree allows them)')

s_mon = SpikeMonitor(P)
run(args.duration * second)

t_setup = time.perf_counter() - T_START
t0 = time.perf_counter()
device.build(directory=build_dir, compile=True, run=True, debug=False, with_output=False)
build_call = time.perf_counter() - t0
run_binary = device.timers.get('run_binary')
sim_time = float(device._last_run_time)

senders = np.array(s_mon.i[:], dtype=np.int64)  # copies: the views die with the monitor
times = np.array(s_mon.t[:] / second, dtype=np.float64)
stats = common.all_stats(args.model, senders, times, args.duration)
common.save_spikes(args.save_spikes, senders, times)

if not args.keep:
    shutil.rmtree(build_dir, ignore_errors=True)

result = {
    'simulator': 'brian2',
    'version': brian2.__version__,
    'device': 'cpp_standalone',
    'threads': 1,
    'model': args.model,
    'seed': args.seed,
    'duration_s': args.duration,
    'dt_ms': 0.1,
    'connectivity': args.connectivity,
    'params': params,
    'populations': stats,
    'sim_time_s': sim_time,
    'build_time_s': (build_call - run_binary) if run_binary is not None else None,
    'compile_make_s': device.timers['compile'].get('make'),
    'run_binary_s': run_binary,
    'setup_python_s': t_setup,
    'build_dir': build_dir if args.keep else None,
    'notes': notes,
    'process_time_s': time.perf_counter() - T_START,
}
common.emit(OUT, result)
