package storage_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/storage/storagetest"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/civickit/civickit/voting/ballotbox/ballotboxtest"
)

// The attack suite: whoever reads the database with plain SQL (no
// superuser, no file access) and knows which register row is whose — a
// stronger attacker than the issue's, who knows the voter list but not the
// secret that keys the register — tries to find each voter's ballot from
// what the engines record beside the rows: PostgreSQL's writing
// transaction (xmin) and physical position (ctid), the order in which
// MariaDB and SQLite return rows without ORDER BY, the board's order, the
// days stored with ballots. Each attack reports "linked n/N"; the test
// fails when an attack links more voters than chance allows for an
// anonymity set of k (a voter's ballot is one of at least k: n is
// binomial with p <= 1/k; the bound is the mean plus 4 standard
// deviations). The same attacks on a Service without anonymity set
// (Anonymity 1) show that they are real: they link nearly every voter.
//
// The file-level attacks (pageinspect and pg_waldump on PostgreSQL, the
// hidden DB_TRX_ID of InnoDB's .ibd pages, SQLite's page cells and WAL)
// need a superuser or the files: see bench/ballotbox/README.md; they read
// the same transaction boundaries that xmin shows here.

const (
	attackVoters = 200
	attackK      = 20
)

// attackElection casts one ballot per voter, one voter at a time (the
// order a timing attacker would know best), on two days, and closes the
// election. It returns the truth: voter key -> tracker.
func attackElection(t *testing.T, ctx context.Context, st *storage.BallotBoxStore, k int) (ballotbox.Election, map[string]string) {
	t.Helper()
	clock := ballotboxtest.NewClock(ballotboxtest.During)
	svc, err := ballotbox.NewService(st, ballotbox.Options{Now: clock.Now, Secret: ballotboxtest.Secret, Anonymity: k})
	require.NoError(t, err)
	e := ballotboxtest.NewElection(ballotbox.RevoteNone, ballotbox.VisibleLive)
	require.NoError(t, svc.CreateElection(ctx, e))
	truth := map[string]string{}
	for i := range attackVoters {
		if i == attackVoters/2 {
			clock.Set(ballotboxtest.During.Add(24 * time.Hour))
		}
		v := ballotboxtest.Voter(i)
		r, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: v, Ballot: ballotboxtest.Full(i)})
		require.NoError(t, err)
		key, err := svc.VoterKey(ctx, e.ID, v.ID)
		require.NoError(t, err)
		truth[string(key)] = r.Tracker
	}
	_, err = svc.CloseNow(ctx, e.ID)
	require.NoError(t, err)
	return *e, truth
}

// attackRows reads a table's rows of the election with extra SQL
// expressions (system columns), in the order the engine returns them.
func attackRows(t *testing.T, ctx context.Context, db *storage.DB, table, keyCol string, e ballotbox.Election, exprs ...string) [][]string {
	t.Helper()
	cols := append([]string{keyCol}, exprs...)
	q := fmt.Sprintf("SELECT %s FROM %s WHERE election_id = ?", strings.Join(cols, ", "), db.TableName(table))
	rows, err := db.Bun().QueryContext(ctx, q, e.ID)
	require.NoError(t, err)
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		row := make([]string, len(cols))
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				row[i] = string(b)
			} else {
				row[i] = fmt.Sprint(v)
			}
		}
		out = append(out, row)
	}
	require.NoError(t, rows.Err())
	return out
}

// rankGuess pairs the i-th voter of one order with the i-th ballot of
// another.
func rankGuess(voters, ballots []string) map[string]string {
	g := map[string]string{}
	for i := range min(len(voters), len(ballots)) {
		g[voters[i]] = ballots[i]
	}
	return g
}

// groupGuess guesses, for each voter, a random ballot among those that
// share its group (a transaction id, a day): with groups of one, a link.
func groupGuess(r *rand.Rand, voterGroup, ballotGroup map[string]string) map[string]string {
	by := map[string][]string{}
	for b, gr := range ballotGroup {
		by[gr] = append(by[gr], b)
	}
	for _, l := range by {
		sort.Strings(l)
	}
	g := map[string]string{}
	for v, gr := range voterGroup {
		if l := by[gr]; len(l) > 0 {
			g[v] = l[r.IntN(len(l))]
		}
	}
	return g
}

func sortedBy(rows [][]string, col int, numeric bool) []string {
	sort.SliceStable(rows, func(i, j int) bool {
		if numeric {
			a, _ := strconv.ParseFloat(rows[i][col], 64)
			b, _ := strconv.ParseFloat(rows[j][col], 64)
			return a < b
		}
		return rows[i][col] < rows[j][col]
	})
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r[0]
	}
	return out
}

func column(rows [][]string, col int) map[string]string {
	m := map[string]string{}
	for _, r := range rows {
		m[r[0]] = r[col]
	}
	return m
}

// attacks runs every SQL-level attack and returns "name" -> linked.
func attacks(t *testing.T, ctx context.Context, db *storage.DB, e ballotbox.Election, truth map[string]string) map[string]int {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	score := func(g map[string]string) int {
		n := 0
		for v, tr := range truth {
			if g[v] == tr {
				n++
			}
		}
		return n
	}
	out := map[string]int{}
	// The board's order against the order in which the engine returns the
	// register (its physical or clustered order).
	reg := attackRows(t, ctx, db, "ballotbox_register", "voter_key", e)
	board := attackRows(t, ctx, db, "ballotbox_entries", "tracker", e, "idx")
	boardOrder := sortedBy(board, 1, true)
	regScan := make([]string, len(reg))
	for i, row := range reg {
		regScan[i] = row[0]
	}
	out["register scan order vs board order"] = score(rankGuess(regScan, boardOrder))
	bal := attackRows(t, ctx, db, "ballotbox_ballots", "tracker", e, "cast_day")
	balScan := make([]string, len(bal))
	for i, row := range bal {
		balScan[i] = row[0]
	}
	out["register scan order vs ballots scan order"] = score(rankGuess(regScan, balScan))
	// Days: the attacker knows each voter's day; a ballot keeps its day.
	voterDay := map[string]string{}
	dayOf := column(bal, 1)
	for v, tr := range truth { // the attacker knows each voter's day

		voterDay[v] = dayOf[tr]
	}
	out["cast day"] = score(groupGuess(r, voterDay, dayOf))
	if db.Engine() == storage.Postgres {
		regX := attackRows(t, ctx, db, "ballotbox_register", "voter_key", e, "xmin::text", "ctid::text")
		balX := attackRows(t, ctx, db, "ballotbox_ballots", "tracker", e, "xmin::text", "ctid::text")
		entX := attackRows(t, ctx, db, "ballotbox_entries", "tracker", e, "xmin::text", "ctid::text", "idx")
		out["xmin join register-ballots"] = score(groupGuess(r, column(regX, 1), column(balX, 1)))
		out["xmin join register-entries"] = score(groupGuess(r, column(regX, 1), column(entX, 1)))
		out["xmin order vs board order"] = score(rankGuess(sortedBy(regX, 1, true), boardOrder))
		ctidKey := func(rows [][]string) {
			for _, row := range rows { // "(page,item)" -> page*1e4+item
				p := strings.Split(strings.Trim(row[2], "()"), ",")
				a, _ := strconv.Atoi(p[0])
				b, _ := strconv.Atoi(p[1])
				row[2] = strconv.Itoa(a*10000 + b)
			}
		}
		ctidKey(regX)
		ctidKey(balX)
		ctidKey(entX)
		out["ctid order register vs ballots"] = score(rankGuess(sortedBy(regX, 2, true), sortedBy(balX, 2, true)))
		out["ctid order register vs entries"] = score(rankGuess(sortedBy(regX, 2, true), sortedBy(entX, 2, true)))
	}
	return out
}

// chanceBound is the most voters a guess links by chance when each voter
// hides among at least k.
func chanceBound(n, k int) int {
	p := 1 / float64(k)
	mean := float64(n) * p
	return int(math.Ceil(mean + 4*math.Sqrt(float64(n)*p*(1-p))))
}

func TestBallotBoxAttacks(t *testing.T) {
	storagetest.ForEachEngine(t, func(t *testing.T, engine storage.Engine) {
		ctx := t.Context()
		bound := chanceBound(attackVoters, attackK)
		db := storagetest.Open(t, engine)
		e, truth := attackElection(t, ctx, storage.NewBallotBoxStore(db), attackK)
		got := attacks(t, ctx, db, e, truth)
		for _, name := range sortedKeys(got) {
			t.Logf("%s, k=%d: %s: linked %d/%d (chance bound %d)", engine, attackK, name, got[name], attackVoters, bound)
			assert.LessOrEqual(t, got[name], bound, "%s links voters to ballots", name)
		}
		// The control: one transaction per cast.
		db1 := storagetest.Open(t, engine)
		e1, truth1 := attackElection(t, ctx, storage.NewBallotBoxStore(db1), 1)
		best := 0
		for _, name := range sortedKeys(got) {
			n := attacks(t, ctx, db1, e1, truth1)[name]
			t.Logf("%s, Anonymity 1 (control): %s: linked %d/%d", engine, name, n, attackVoters)
			best = max(best, n)
		}
		if engine == storage.Postgres {
			assert.Greater(t, best, attackVoters*9/10, "without an anonymity set the attacks link nearly every voter")
		}
	})
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
