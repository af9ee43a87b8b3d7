#!/usr/bin/env python3
"""Write a PrefLib SOC file of a Mallows mixture: complete rankings of M
candidates drawn from K reference orders with dispersion PHI (repeated
insertion). Deterministic for a given seed. --scale multiplies every count
(10^7 voters over the same distinct orders as 10^6).

usage: gen_mallows.py VOTERS CANDIDATES OUT [--scale S] [--seed N] [--phi F]
"""
import argparse
import random
from collections import Counter


def mallows(rng, ref, phi):
    # Repeated insertion model: the i-th reference item goes to position j
    # (0..i) with probability proportional to phi^(i-j).
    out = []
    for i, c in enumerate(ref):
        weights = [phi ** (i - j) for j in range(i + 1)]
        out.insert(rng.choices(range(i + 1), weights)[0], c)
    return tuple(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("voters", type=int)
    ap.add_argument("candidates", type=int)
    ap.add_argument("out")
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--phi", type=float, default=0.9)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    m = a.candidates
    refs = []
    for _ in range(3):
        r = list(range(1, m + 1))
        rng.shuffle(r)
        refs.append(r)
    mix = [0.5, 0.3, 0.2]
    counts = Counter()
    for _ in range(a.voters):
        ref = refs[rng.choices(range(3), mix)[0]]
        counts[mallows(rng, ref, a.phi)] += 1
    with open(a.out, "w") as f:
        f.write("# FILE NAME: %s\n" % a.out.rsplit("/", 1)[-1])
        f.write("# TITLE: Mallows mixture (3 references, phi %.2f, seed %d)\n" % (a.phi, a.seed))
        f.write("# DATA TYPE: soc\n# MODIFICATION TYPE: synthetic\n")
        f.write("# NUMBER ALTERNATIVES: %d\n" % m)
        f.write("# NUMBER VOTERS: %d\n" % (a.voters * a.scale))
        f.write("# NUMBER UNIQUE ORDERS: %d\n" % len(counts))
        for c in range(1, m + 1):
            f.write("# ALTERNATIVE NAME %d: Candidate %d\n" % (c, c))
        for order, n in counts.most_common():
            f.write("%d: %s\n" % (n * a.scale, ",".join(map(str, order))))


if __name__ == "__main__":
    main()
