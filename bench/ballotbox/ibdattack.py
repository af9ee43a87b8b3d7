#!/usr/bin/env python3
"""MariaDB/InnoDB .ibd attack on the ballot box (whoever holds the files).

Every clustered-index record carries the 6-byte id of the transaction that
wrote it (DB_TRX_ID), right after the primary key. The script flushes the
tables (FLUSH TABLES ... FOR EXPORT), reads the register's and the ballots'
.ibd files, finds each record by its election id, and joins on DB_TRX_ID:
directly, and by rank (register records ordered by trx id against the board
order). Prints "linked n/N".

    go run ./bench/ballotbox -fill mysql://root@127.0.0.1:3306/bbattack20 -k 20 -voters 200 -truth /tmp/t.jsonl
    python3 bench/ballotbox/ibdattack.py bbattack20 /tmp/t.jsonl [/var/lib/mysql]
"""
import collections, json, random, re, subprocess, sys

db, truth_file = sys.argv[1:3]
datadir = sys.argv[3] if len(sys.argv) > 3 else "/var/lib/mysql"
def sql(q):
    return subprocess.check_output(["mysql", "-h127.0.0.1", "-uroot", "-Nse", q, db], text=True).split()
eid = sql("SELECT id FROM civickit_ballotbox_elections")[0]
board = dict(zip(*[iter(sql("SELECT tracker, idx FROM civickit_ballotbox_entries"))] * 2))
# Flush the dirty pages of both tables to their files.
subprocess.run(["mysql", "-h127.0.0.1", "-uroot", db, "-e",
    "FLUSH TABLES civickit_ballotbox_register, civickit_ballotbox_ballots FOR EXPORT; UNLOCK TABLES;"], check=True)

def records(table, keylen_re):
    data = open(f"{datadir}/{db}/civickit_ballotbox_{table}.ibd", "rb").read()
    out = collections.defaultdict(list)
    for m in re.finditer(re.escape(eid.encode()) + keylen_re, data):
        out[m.group(1).decode()].append(int.from_bytes(data[m.end():m.end() + 6], "big"))
    return out

# The register has no secondary index: each key's record gives its id.
# The ballots' secondary indexes (slot, request key) also hold the
# election id and the tracker; their bytes after it are no transaction id:
# keep, for each tracker, the candidate nearest the register's ids.
reg = {k: v[0] for k, v in records("register", rb"([0-9a-f]{64})").items()}
lo, hi = min(reg.values()), max(reg.values())
bal = {t: min(c, key=lambda x: 0 if lo - 10**6 <= x <= hi + 10**6 else 1)
       for t, c in records("ballots", rb"([a-z2-7]{4}(?:-[a-z2-7]{2,4}){6})").items()}
truth = {}
for line in open(truth_file):
    r = json.loads(line)
    truth[r["voter_key"]] = r["tracker"]
by_trx = collections.defaultdict(list)
for tr, x in bal.items():
    by_trx[x].append(tr)
rng = random.Random(1)
direct = sum(1 for v, x in reg.items() if v in truth and by_trx.get(x) and rng.choice(sorted(by_trx[x])) == truth[v])
order = sorted((x, v) for v, x in reg.items() if v in truth)
boardorder = sorted(board, key=lambda t: int(board[t]))
ranked = sum(1 for (x, v), tr in zip(order, boardorder) if truth[v] == tr)
print(f"{db}: {len(reg)} register records, {len(bal)} ballot records, {len(by_trx)} ballot transaction ids")
print(f"DB_TRX_ID join register-ballots: linked {direct}/{len(truth)}")
print(f"register DB_TRX_ID order vs board order: linked {ranked}/{len(truth)}")
