"""ANNarchy 5 (one thread, dt 0.1 ms) runs of Tempora's cuba / coba / brunel presets.

* cuba:   the neuron of ANNarchy's docs notebook (notebooks/COBA.ipynb, CUBA cell):
          tau_m*dv/dt = (El - v) + g_exc - g_inh, El -49, Vr -60, Vt -50, tau 20/5/10 ms,
          weights 1.62 / +9.0 (the inhibitory sign sits in the equation), v ~ U[-60, -50].
* coba:   the notebook's COBA neuron WITHOUT its constant drive (I = 0; the notebook has
          I = 20) and with v ~ N(-65, 5) mV (the notebook has N(-55, 5)), so that it is
          Brian 1's COBA.py / Tempora's preset; g_exc ~ N(4, 1.5), g_inh ~ N(20, 12),
          weights 0.6 / 6.7 in leak units.
  Both integrate with ANNarchy's default, explicit (forward) Euler, as its own examples do
  (the examples set no method); --method selects another (e.g. exponential).
* brunel: ANNarchy has no delta synapse or PoissonInput; the membrane is written as an exact
          assignment each step, v = v*exp(-dt/tau) + g_exc - g_inh + J*Binomial(C_ext, nu*dt),
          where g_exc/g_inh (no ODE, so ANNarchy zeroes them each step) carry the summed
          jumps J / g*J, delay 1.5 ms; V_r 10, theta 20 mV, t_ref 2 ms, v(0) = 0.
Connections: fixed_probability (allow_self_connections=True) or, with
--connectivity indegree, fixed_number_pre int(p*N_pre). cuba/coba delays are ANNarchy's
default (one step). Refractory: ANNarchy freezes every non-g_ variable, so v, and in brunel
the inputs (summed into v) are discarded.

Usage: python annarchy_net.py --model cuba|coba|brunel --seed S --duration T
           [--g G --eta E --connectivity probability|indegree] [--method explicit] [--keep]
Prints one JSON object on stdout. sim_time_s = wall time of net.simulate; build_time_s =
wall time of net.compile (code generation + cmake/g++ + loading); process_time_s = from the
top of this script (includes the ANNarchy import).
"""
import time

T_START = time.perf_counter()

import importlib.metadata  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

parser = common.parse_args(__doc__.splitlines()[0])
parser.add_argument('--method', default='explicit', help="ANNarchy ODE method (cuba/coba)")
parser.add_argument('--keep', action='store_true', help='keep the build directory')
args = parser.parse_args()
OUT = common.claim_stdout()

# ANNarchy runs cmake by name: the venv's bin/ must be on PATH.
os.environ['PATH'] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get('PATH', '')

import numpy as np  # noqa: E402
import ANNarchy as ann  # noqa: E402

DT = 0.1
net = ann.Network(dt=DT, seed=args.seed)
net.config(num_threads=1, method=args.method)
rng = net.default_rng
ne, ni = common.SIZES[args.model]
notes = []


PROJECTIONS = []


def connect(proj, p, n_pre, w, delay=None):
    PROJECTIONS.append(proj)
    kw = {} if delay is None else {'delays': delay}
    if args.connectivity == 'probability':
        proj.fixed_probability(probability=p, weights=w, allow_self_connections=True, **kw)
    else:
        proj.fixed_number_pre(number=int(p * n_pre), weights=w, allow_self_connections=True, **kw)


if args.model == 'cuba':
    CUBA = ann.Neuron(
        parameters=dict(El=-49.0, Vr=-60.0, Vt=-50.0, tau_m=20.0, tau_exc=5.0, tau_inh=10.0),
        equations=[
            'tau_m * dv/dt = (El - v) + g_exc - g_inh',
            'tau_exc * dg_exc/dt = - g_exc',
            'tau_inh * dg_inh/dt = - g_inh',
        ],
        spike="v > Vt",
        reset="v = Vr",
        refractory=5.0,
    )
    P = net.create(geometry=ne + ni, neuron=CUBA)
    P.v = ann.Uniform(-60.0, -50.0, rng=rng)
    we, wi = 0.27 * 60.0 / 10.0, 4.5 * 20.0 / 10.0
    connect(net.connect(pre=P[:ne], post=P, target='exc'), 0.02, ne, we)
    connect(net.connect(pre=P[ne:], post=P, target='inh'), 0.02, ni, wi)
    params = {'we_mV': we, 'wi_mV': wi, 'p': 0.02, 'method': args.method, 'delay': 'default (dt)'}

elif args.model == 'coba':
    COBA = ann.Neuron(
        parameters=dict(El=-60.0, Vr=-60.0, Erev_exc=0.0, Erev_inh=-80.0, Vt=-50.0,
                        tau=20.0, tau_exc=5.0, tau_inh=10.0, I=0.0),
        equations=[
            'tau * dv/dt = (El - v) + g_exc * (Erev_exc - v) + g_inh * (Erev_inh - v ) + I',
            'tau_exc * dg_exc/dt = - g_exc',
            'tau_inh * dg_inh/dt = - g_inh',
        ],
        spike="v > Vt",
        reset="v = Vr",
        refractory=5.0,
    )
    P = net.create(geometry=ne + ni, neuron=COBA)
    P.v = ann.Normal(-65.0, 5.0, rng=rng)
    P.g_exc = ann.Normal(4.0, 1.5, rng=rng)
    P.g_inh = ann.Normal(20.0, 12.0, rng=rng)
    connect(net.connect(pre=P[:ne], post=P, target='exc'), 0.02, ne, 0.6)
    connect(net.connect(pre=P[ne:], post=P, target='inh'), 0.02, ni, 6.7)
    params = {'we': 0.6, 'wi': 6.7, 'I': 0.0, 'v0': 'N(-65,5)', 'p': 0.02,
              'method': args.method, 'delay': 'default (dt)'}
    notes.append('ANNarchy notebook COBA has I=20 and v0 ~ N(-55,5); here I=0, v0 ~ N(-65,5) (Brian 1 / Tempora)')

else:
    epsilon, J, D, tau, theta = 0.1, 0.1, 1.5, 20.0, 20.0
    C_E = int(epsilon * ne)
    nu_thr = theta / (J * C_E * tau)      # per ms
    nu_ext = args.eta * nu_thr            # per ms
    p_step = nu_ext * DT
    BRUNEL = ann.Neuron(
        parameters=dict(tau=tau, theta=theta, V_r=10.0, J=J),
        equations=[
            f'v = v * exp(-dt/tau) + g_exc - g_inh + J * Binomial({C_E}, {p_step!r}) : init=0.0',
        ],
        spike="v > theta",
        reset="v = V_r",
        refractory=2.0,
    )
    P = net.create(geometry=ne + ni, neuron=BRUNEL)
    connect(net.connect(pre=P[:ne], post=P, target='exc'), epsilon, ne, J, D)
    connect(net.connect(pre=P[ne:], post=P, target='inh'), epsilon, ni, args.g * J, D)
    params = {'g': args.g, 'eta': args.eta, 'J_mV': J, 'delay_ms': D, 'p': epsilon,
              'nu_ext_hz': nu_ext * 1000.0, 'external': f'J*Binomial({C_E}, {p_step!r}) per step',
              'method': 'exact assignment'}
    notes.append('brunel: external input is added to v before the threshold test of the same '
                 'step (Brian2 adds it after the test, in the synapses slot)')

m = net.monitor(P, ['spike'])
build_dir = tempfile.mkdtemp(prefix=f'tempora-annarchy-{args.model}-s{args.seed}-', dir='/tmp')
t0 = time.perf_counter()
net.compile(directory=build_dir, silent=True)
build_time = time.perf_counter() - t0

params['num_synapses'] = int(sum(pr.nb_synapses for pr in PROJECTIONS))

t0 = time.perf_counter()
net.simulate(args.duration * 1000.0)
sim_time = time.perf_counter() - t0

data = m.get('spike')
senders = np.concatenate([np.full(len(v), k, dtype=np.int64) for k, v in data.items()] or [np.zeros(0, np.int64)])
times = np.concatenate([np.asarray(v, dtype=np.float64) for v in data.values()] or [np.zeros(0)]) * DT / 1000.0
stats = common.all_stats(args.model, senders, times, args.duration)
common.save_spikes(args.save_spikes, senders, times)

if not args.keep:
    shutil.rmtree(build_dir, ignore_errors=True)

result = {
    'simulator': 'annarchy',
    'version': importlib.metadata.version('annarchy'),
    'threads': 1,
    'model': args.model,
    'seed': args.seed,
    'duration_s': args.duration,
    'dt_ms': DT,
    'connectivity': args.connectivity,
    'params': params,
    'populations': stats,
    'sim_time_s': sim_time,
    'build_time_s': build_time,
    'build_dir': build_dir if args.keep else None,
    'notes': notes,
    'process_time_s': time.perf_counter() - T_START,
}
common.emit(OUT, result)
