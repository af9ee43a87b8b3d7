#!/usr/bin/env python3
"""Count a PrefLib SOC/SOI file with an anchor tool, for comparison with
tally: votelib (Schulze, plurality, Borda, IRV on weighted distinct
ballots) or pyrankvote (IRV, one Ballot object per voter, as its API
requires). The anchors are not part of civickit: put a checkout of each on
PYTHONPATH (see run.sh). Prints the winner.

usage: anchors.py votelib|pyrankvote irv|schulze|plurality|borda FILE
"""
import sys


def read_preflib(path):
    names, votes = {}, {}
    with open(path) as f:
        for line in f:
            if line.startswith("# ALTERNATIVE NAME"):
                k, v = line[len("# ALTERNATIVE NAME "):].split(":", 1)
                names[int(k)] = v.strip()
            elif line.startswith("#") or not line.strip():
                continue
            else:
                count, order = line.split(":", 1)
                key = tuple(int(c) for c in order.split(","))
                votes[key] = votes.get(key, 0) + int(count)
    return names, votes


def votelib_count(method, names, votes):
    # Candidates are the file's numbers: votelib reads any object with a
    # length (a name) as a group of tied candidates.
    return [names[c] for c in votelib_winners(method, names, votes)]


def votelib_winners(method, names, votes):
    import votelib.convert
    import votelib.evaluate.condorcet
    import votelib.evaluate.core
    import votelib.evaluate.sequential
    if method == "schulze":
        pairs = votelib.convert.RankedToCondorcetVotes().convert(votes)
        return votelib.evaluate.condorcet.Schulze().evaluate(pairs)
    if method == "plurality":
        first = votelib.convert.RankedToFirstPreference().convert(votes)
        return votelib.evaluate.core.Plurality().evaluate(first)
    if method == "borda":
        import votelib.component.rankscore
        scorer = votelib.component.rankscore.Borda(base=0)
        points = votelib.convert.RankedToPositionalVotes(scorer).convert(votes)
        return votelib.evaluate.core.Plurality().evaluate(points)
    if method == "irv":
        return votelib.evaluate.sequential.TransferableVoteSelector(quota_function=None).evaluate(votes)
    raise SystemExit("votelib: unknown method " + method)


def pyrankvote_count(method, names, votes):
    import pyrankvote
    from pyrankvote import Ballot, Candidate
    if method != "irv":
        raise SystemExit("pyrankvote: only irv here")
    byname = {c: Candidate(names[c]) for c in names}
    ballots = []
    for order, n in votes.items():
        b = Ballot(ranked_candidates=[byname[c] for c in order])
        ballots.extend([b] * n)  # one entry per voter, as the API takes them
    return [c.name for c in pyrankvote.instant_runoff_voting(list(byname.values()), ballots).get_winners()]


def main():
    tool, method, path = sys.argv[1:4]
    names, votes = read_preflib(path)
    count = {"votelib": votelib_count, "pyrankvote": pyrankvote_count}[tool]
    print(count(method, names, votes))


if __name__ == "__main__":
    main()
