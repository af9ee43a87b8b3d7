#!/usr/bin/env python3
"""PostgreSQL page attack on the ballot box (superuser: pageinspect).

Reads the queue's heap pages, dead tuples included: a dead queue tuple keeps
the transaction that queued it (t_xmin, the voter's register row's xmin)
and the one that deleted it (t_xmax, the batch that inserted the ballots).
The voter is guessed to own the ballot at the rank (physical order) their
queue tuple had among the batch's. Also the direct join: register xmin =
ballot xmin. Prints "linked n/N".

    python3 bench/ballotbox/pageattack.py DBNAME TRUTH.jsonl
"""
import collections, json, subprocess, sys

db, truth_file = sys.argv[1:3]
psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-At", "-d", db, "-c"]
def q(sql):
    return [l.split("|") for l in subprocess.check_output(psql + [sql], text=True).splitlines() if l]

q("CREATE EXTENSION IF NOT EXISTS pageinspect")
truth = {}
for line in open(truth_file):
    r = json.loads(line)
    truth[r["voter_key"]] = r["tracker"]
reg = q("SELECT xmin, voter_key FROM civickit_ballotbox_register")
bal = q("SELECT xmin, tracker, (ctid::text::point)[0], (ctid::text::point)[1] FROM civickit_ballotbox_ballots")
queue = q("""SELECT t_xmin, t_xmax, b, lp FROM generate_series(0, (pg_relation_size('civickit_ballotbox_queue') / 8192)::int - 1) AS b,
             LATERAL heap_page_items(get_raw_page('civickit_ballotbox_queue', b)) WHERE t_xmin IS NOT NULL""")
by_xmin = collections.defaultdict(list)
for x, tr, b, o in bal:
    by_xmin[x].append((float(b), float(o), tr))
for l in by_xmin.values():
    l.sort()
batch_of = {}  # queue tuple's t_xmin -> (t_xmax, rank among the batch's tuples)
by_xmax = collections.defaultdict(list)
for xmin, xmax, b, lp in queue:
    by_xmax[xmax].append((int(b), int(lp), xmin))
for xmax, l in by_xmax.items():
    l.sort()
    for rank, (_, _, xmin) in enumerate(l):
        batch_of[xmin] = (xmax, rank)
direct = via_pages = 0
for xmin, voter in reg:
    if by_xmin.get(xmin) and any(tr == truth.get(voter) for _, _, tr in by_xmin[xmin][:1]):
        direct += 1
    if xmin in batch_of:
        xmax, rank = batch_of[xmin]
        ballots = by_xmin.get(xmax, [])
        if rank < len(ballots) and ballots[rank][2] == truth.get(voter):
            via_pages += 1
print(f"{db}: {len(queue)} queue tuples on the pages ({sum(1 for _, x, _, _ in queue if x != '0')} dead)")
print(f"register xmin = ballot xmin: linked {direct}/{len(truth)}")
print(f"dead queue tuples (t_xmin -> t_xmax, rank) -> ballot at that rank: linked {via_pages}/{len(truth)}")
