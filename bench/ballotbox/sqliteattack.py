#!/usr/bin/env python3
"""SQLite page-cell attack on the ballot box (whoever holds the file).

In a WITHOUT ROWID table the cell pointer array follows the keys, but cell
contents are written from the end of the page downwards as rows arrive:
sorting a page's cells by content offset gives the order in which its rows
were inserted. The attacker pairs the register's insertion order with the
board's order (public), page by page. Prints "linked n/N".

    go run ./bench/ballotbox -fill sqlite:/tmp/bb.db -k 20 -voters 30 -truth /tmp/t.jsonl
    python3 bench/ballotbox/sqliteattack.py /tmp/bb.db /tmp/t.jsonl
"""
import json, sqlite3, sys

path, truth_file = sys.argv[1:3]
con = sqlite3.connect(path)
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'civickit_ballotbox_register'").fetchone()[0]
idx = dict(con.execute("SELECT tracker, idx FROM civickit_ballotbox_entries"))
con.close()
data = open(path, "rb").read()
psize = int.from_bytes(data[16:18], "big") or 65536

def varint(b, i):
    v = 0
    for k in range(9):
        c = b[i + k]
        if k == 8:
            return (v << 8) | c, i + 9
        v = (v << 7) | (c & 0x7F)
        if c < 0x80:
            return v, i + k + 1

def record(b, i):
    hlen, j = varint(b, i)
    types, end = [], i + hlen
    while j < end:
        t, j = varint(b, j)
        types.append(t)
    out = []
    for t in types:
        n = (t - 13) // 2 if t >= 13 and t % 2 else (t - 12) // 2 if t >= 12 else [0, 1, 2, 3, 4, 6, 8, 8, 0, 0][t]
        out.append(b[end:end + n])
        end += n
    return out

def leaves(pgno):
    off = 100 if pgno == 1 else 0
    base = (pgno - 1) * psize
    page = data[base:base + psize]
    kind = page[off]
    ncells = int.from_bytes(page[off + 3:off + 5], "big")
    hdr = off + (12 if kind in (2, 5) else 8)
    ptrs = [int.from_bytes(page[hdr + 2 * c:hdr + 2 * c + 2], "big") for c in range(ncells)]
    if kind == 2:  # interior index page: children, then the right-most
        for p in ptrs:
            yield from leaves(int.from_bytes(page[p:p + 4], "big"))
        yield from leaves(int.from_bytes(page[off + 8:off + 12], "big"))
    elif kind == 10:
        cells = []
        for p in ptrs:
            _, j = varint(page, p)
            key = record(page, j)[1].decode()
            cells.append((p, key))
        yield cells

truth = {}
for line in open(truth_file):
    r = json.loads(line)
    truth[r["voter_key"]] = r["tracker"]
by_idx = sorted(idx, key=idx.get)
linked = pages = 0
for cells in leaves(root):
    pages += 1
    inserted = [k for _, k in sorted(cells, reverse=True)]  # highest offset first: first inserted
    boards = sorted(idx[truth[k]] for k in inserted if k in truth)
    for k, i in zip(inserted, boards):
        if truth.get(k) == by_idx[i]:
            linked += 1
print(f"{path}: register on {pages} leaf page(s); cell content order vs board order: linked {linked}/{len(truth)}")
