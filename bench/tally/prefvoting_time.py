#!/usr/bin/env python3
"""Times pref_voting's methods on a PrefLib SOC file (the 10^6-voter
benchmark of run.sh), for the figures of docs/progress/issue20.md. Run
from a pref_voting checkout with the stubs of
voting/testdata/prefvoting/stubs.sh (numba stubbed: pure Python):

    PYTHONPATH=stubs:. python3 prefvoting_time.py m1e6.soc maximal_lottery random_dictator raynaud
"""
import sys, time, resource
from pref_voting.profiles import Profile
from pref_voting import voting_methods as vm
from pref_voting import probabilistic_methods as pm
t0 = time.process_time()
rankings, counts = [], []
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    c, r = line.split(":")
    counts.append(int(c)); rankings.append([int(x) - 1 for x in r.split(",")])
prof = Profile(rankings, counts)
print("load %.1f s CPU, %d distinct" % (time.process_time() - t0, len(rankings)), flush=True)
for name in sys.argv[2:]:
    f = getattr(vm, name, None) or getattr(pm, name)
    t = time.process_time()
    w = f(prof)
    print("| %s | %.1f | %s |" % (name, time.process_time() - t, w if isinstance(w, list) else {k: round(v, 4) for k, v in w.items() if v > 0}), flush=True)
print("peak RSS %.0f MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
