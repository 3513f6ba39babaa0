"""NEST 3.10 (one thread, resolution 0.1 ms) runs of Tempora's cuba / coba / brunel presets.

* cuba:   iaf_psc_exp (exact integration). C_m = 250 pF (NEST's default), tau_m = 20 ms, so
          g_L = C_m/tau_m = 12.5 nS and Brian's jump of ge by w (volts) is a current jump
          w * C_m / tau_m: 1.62 mV -> 20.25 pA, -9 mV -> -112.5 pA. E_L -49, V_th -50,
          V_reset -60 mV, t_ref 5 ms, tau_syn 5/10 ms, V_m ~ U[-60, -50] mV, no external input.
* coba:   iaf_cond_exp (GSL RKF45 inside each step). C_m 200 pF, g_L 10 nS, so Brian 1's leak-
          unit weights 0.6 / 6.7 are 6 nS / 67 nS (negative weight = inhibitory in NEST).
          E_L -60, E_ex 0, E_in -80, V_th -50, V_reset -60 mV, t_ref 5 ms, tau_syn 5/10 ms.
          V_m ~ N(-65, 5) mV, g_ex ~ N(40, 15) nS, g_in ~ N(200, 120) nS (NEST accepts
          negative values, so the normals are not clipped, as in Brian 1). No external input.
* brunel: iaf_psc_delta, C_m 1 pF (weights are PSP jumps in mV), E_L 0, V_th 20, V_reset 10
          (Brian2's example; NEST's brunel_delta_nest.py uses 0), tau_m 20, t_ref 2 ms, V_m 0,
          J = 0.1 mV, -g*J, delay 1.5 ms; external drive: one poisson_generator at
          C_ext * nu_ext (= 20 kHz for eta 2) onto every neuron (a distinct train per target)
          with weight J and delay 1.5 ms as NEST's example (--poisson-delay-ms; Brian2's
          PoissonInput has no delay: this only shifts the onset by 1.5 ms, and keeps NEST's
          min_delay at 1.5 ms: with 0.1 ms NEST exchanges spikes every step, which is slower).
Connectivity: pairwise_bernoulli (p 0.02 / 0.1, autapses allowed) or, with
--connectivity indegree, fixed_indegree int(p*N_pre) (NEST defaults: autapses and multapses
allowed). cuba/coba delays are 0.1 ms, NEST's minimum (Brian's examples use 0).

Usage: python nest_net.py --model cuba|coba|brunel --seed S --duration T
           [--g G --eta E --connectivity probability|indegree]
Prints one JSON object on stdout. sim_time_s = wall time of nest.Simulate; build_time_s =
wall time of node creation + connection; process_time_s = from the top of this script.
"""
import time

T_START = time.perf_counter()

import os  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

parser = common.parse_args(__doc__.splitlines()[0])
parser.add_argument('--poisson-delay-ms', type=float, default=1.5,
                    help='brunel: delay of the poisson_generator connections')
args = parser.parse_args()
OUT = common.claim_stdout()
os.environ.setdefault('PYNEST_QUIET', '1')

import numpy as np  # noqa: E402
import nest  # noqa: E402

nest.verbosity = nest.VerbosityLevel.WARNING
nest.ResetKernel()
nest.resolution = 0.1
nest.local_num_threads = 1
nest.rng_seed = args.seed
notes = []

t_build0 = time.perf_counter()
ne, ni = common.SIZES[args.model]


def conn_spec(p, n_pre):
    if args.connectivity == 'probability':
        return {'rule': 'pairwise_bernoulli', 'p': p, 'allow_autapses': True}
    return {'rule': 'fixed_indegree', 'indegree': int(p * n_pre),
            'allow_autapses': True, 'allow_multapses': True}


if args.model == 'cuba':
    C_m, tau_m = 250.0, 20.0
    w_e = 1.62 * C_m / tau_m    # pA
    w_i = -9.0 * C_m / tau_m    # pA
    params = {'C_m': C_m, 'tau_m': tau_m, 'E_L': -49.0, 'V_th': -50.0, 'V_reset': -60.0,
              't_ref': 5.0, 'tau_syn_ex': 5.0, 'tau_syn_in': 10.0, 'I_e': 0.0}
    pop = nest.Create('iaf_psc_exp', ne + ni, params=params)
    pop.V_m = nest.random.uniform(min=-60.0, max=-50.0)
    E, I = pop[:ne], pop[ne:]
    delay, p = 0.1, 0.02
    nest.Connect(E, pop, conn_spec(p, ne), {'synapse_model': 'static_synapse', 'weight': w_e, 'delay': delay})
    nest.Connect(I, pop, conn_spec(p, ni), {'synapse_model': 'static_synapse', 'weight': w_i, 'delay': delay})
    run_params = dict(params, model='iaf_psc_exp', w_e_pA=w_e, w_i_pA=w_i, delay_ms=delay, p=p)

elif args.model == 'coba':
    params = {'C_m': 200.0, 'g_L': 10.0, 'E_L': -60.0, 'E_ex': 0.0, 'E_in': -80.0,
              'V_th': -50.0, 'V_reset': -60.0, 't_ref': 5.0,
              'tau_syn_ex': 5.0, 'tau_syn_in': 10.0, 'I_e': 0.0}
    pop = nest.Create('iaf_cond_exp', ne + ni, params=params)
    pop.V_m = nest.random.normal(mean=-65.0, std=5.0)
    pop.g_ex = nest.random.normal(mean=40.0, std=15.0)    # 4 +- 1.5 leak units * 10 nS
    pop.g_in = nest.random.normal(mean=200.0, std=120.0)  # 20 +- 12 leak units * 10 nS
    g_in0 = np.array(pop.g_in)
    notes.append(f'initial g_ex/g_in not clipped: {int((g_in0 < 0).sum())} neurons start with g_in < 0')
    E, I = pop[:ne], pop[ne:]
    delay, p = 0.1, 0.02
    nest.Connect(E, pop, conn_spec(p, ne), {'synapse_model': 'static_synapse', 'weight': 6.0, 'delay': delay})
    nest.Connect(I, pop, conn_spec(p, ni), {'synapse_model': 'static_synapse', 'weight': -67.0, 'delay': delay})
    run_params = dict(params, model='iaf_cond_exp', w_e_nS=6.0, w_i_nS=-67.0, delay_ms=delay, p=p)

else:
    epsilon, J, D = 0.1, 0.1, 1.5
    tau_m, theta = 20.0, 20.0
    C_E = int(epsilon * ne)
    nu_thr = theta / (J * C_E * tau_m)          # per ms
    nu_ext = args.eta * nu_thr
    p_rate = 1000.0 * nu_ext * C_E              # Hz, all C_ext = C_E sources in one train
    params = {'C_m': 1.0, 'tau_m': tau_m, 't_ref': 2.0, 'E_L': 0.0, 'V_reset': 10.0,
              'V_m': 0.0, 'V_th': theta, 'I_e': 0.0, 'refractory_input': False}
    pop = nest.Create('iaf_psc_delta', ne + ni, params=params)
    E, I = pop[:ne], pop[ne:]
    noise = nest.Create('poisson_generator', params={'rate': p_rate})
    nest.Connect(E, pop, conn_spec(epsilon, ne), {'synapse_model': 'static_synapse', 'weight': J, 'delay': D})
    nest.Connect(I, pop, conn_spec(epsilon, ni), {'synapse_model': 'static_synapse', 'weight': -args.g * J, 'delay': D})
    nest.Connect(noise, pop, 'all_to_all', {'synapse_model': 'static_synapse', 'weight': J, 'delay': args.poisson_delay_ms})
    run_params = dict(params, model='iaf_psc_delta', g=args.g, eta=args.eta, J_mV=J,
                      delay_ms=D, p=epsilon, poisson_rate_hz=p_rate, poisson_delay_ms=args.poisson_delay_ms)

run_params['num_connections'] = int(nest.num_connections)  # network (+ Poisson drive), no recorder
run_params['min_delay_ms'] = float(nest.min_delay)
rec = nest.Create('spike_recorder')
nest.Connect(pop, rec)
build_time = time.perf_counter() - t_build0

t0 = time.perf_counter()
nest.Simulate(args.duration * 1000.0)
sim_time = time.perf_counter() - t0

ev = rec.get('events')
senders = np.asarray(ev['senders'], dtype=np.int64) - pop[0].global_id
times = np.asarray(ev['times'], dtype=np.float64) / 1000.0
stats = common.all_stats(args.model, senders, times, args.duration)
common.save_spikes(args.save_spikes, senders, times)
ks = nest.GetKernelStatus()

result = {
    'simulator': 'nest',
    'version': nest.__version__,
    'threads': 1,
    'model': args.model,
    'seed': args.seed,
    'duration_s': args.duration,
    'dt_ms': 0.1,
    'connectivity': args.connectivity,
    'params': run_params,
    'populations': stats,
    'sim_time_s': sim_time,
    'kernel_time_simulate_s': ks.get('time_simulate'),
    'build_time_s': build_time,
    'notes': notes,
    'process_time_s': time.perf_counter() - T_START,
}
common.emit(OUT, result)
