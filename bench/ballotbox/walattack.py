#!/usr/bin/env python3
"""PostgreSQL WAL attack on the ballot box (run as a superuser who can read pg_wal).

Reads the WAL written while `go run ./bench/ballotbox -fill DSN` ran, and
tries to link each voter to their ballot: (1) a register insert and a
ballot insert with the same transaction id; (2) through the queue: the
register insert's transaction inserted a queue row, a later transaction
deleted it and inserted ballots; the voter is guessed to own the ballot
inserted at the rank their queue row was deleted. Prints "linked n/N".

    python3 bench/ballotbox/walattack.py DBNAME START_LSN END_LSN TRUTH.jsonl [PG_WAL_DIR]
"""
import collections, json, random, re, subprocess, sys

db, start, end, truth_file = sys.argv[1:5]
waldir = sys.argv[5] if len(sys.argv) > 5 else "/var/lib/postgresql/15/main/pg_wal"
psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-At", "-d", db, "-c"]

def q(sql):
    return [l.split("|") for l in subprocess.check_output(psql + [sql], text=True).splitlines() if l]

dboid = q("SELECT oid FROM pg_database WHERE datname = current_database()")[0][0]
nodes = {}
for t in ("register", "ballots", "queue"):
    nodes[q(f"SELECT pg_relation_filenode('civickit_ballotbox_{t}')")[0][0]] = t
def ctid_map(table, col):
    return {c.strip("()"): v for c, v in q(f"SELECT ctid, {col} FROM civickit_ballotbox_{table}")}
reg_at, bal_at = ctid_map("register", "voter_key"), ctid_map("ballots", "tracker")
truth = {}
for line in open(truth_file):
    r = json.loads(line)
    truth[r["voter_key"]] = r["tracker"]

rec = re.compile(r"rmgr: Heap\s.*?tx:\s+(\d+),.*?desc: (INSERT|DELETE)\b.*?off:? (\d+).*?blkref #0: rel \d+/(\d+)/(\d+)(?: fork \w+)? blk (\d+)")
out = subprocess.run(["pg_waldump", "-p", waldir, "-s", start, "-e", end], capture_output=True, text=True).stdout
ins = collections.defaultdict(lambda: collections.defaultdict(list))  # xid -> table -> [ctid] in WAL order
dels = collections.defaultdict(list)  # xid -> [queue ctid] in WAL order
deleted_by = {}  # queue ctid -> xid
for line in out.splitlines():
    m = rec.search(line)
    if not m or m.group(4) != dboid or m.group(5) not in nodes:
        continue
    xid, op, off, table, blk = m.group(1), m.group(2), m.group(3), nodes[m.group(5)], m.group(6)
    ctid = f"{blk},{off}"
    if op == "INSERT":
        ins[xid][table].append(ctid)
    elif table == "queue":
        dels[xid].append(ctid)
        deleted_by[ctid] = xid

rng = random.Random(1)
same_xid = via_queue = 0
voters = 0
for xid, tables in ins.items():
    for rc in tables.get("register", []):
        voter = reg_at.get(rc)
        if voter not in truth:
            continue
        voters += 1
        bal = tables.get("ballots", [])
        if bal and bal_at.get(rng.choice(bal)) == truth[voter]:
            same_xid += 1
        for qc in tables.get("queue", []):
            bx = deleted_by.get(qc)
            if bx is None:
                continue
            rank = dels[bx].index(qc)
            batch = ins[bx].get("ballots", [])
            if rank < len(batch) and bal_at.get(batch[rank]) == truth[voter]:
                via_queue += 1
batches = [len(ins[x].get("ballots", [])) for x in dels]
print(f"{db}: {voters} voters found in the WAL; batches of {sorted(batches)}")
print(f"same transaction id (register insert ~ ballot insert): linked {same_xid}/{len(truth)}")
print(f"through the queue (queue delete rank ~ ballot insert rank): linked {via_queue}/{len(truth)}")
