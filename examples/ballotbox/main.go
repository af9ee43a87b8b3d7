// Command ballotbox runs a small election from start to finish, as a
// town's portal would with civickit's ballot box:
//
//	go run ./examples/ballotbox                         # SQLite in a temporary directory
//	go run ./examples/ballotbox -dsn postgres://… -out board.ndjson
//
// It opens storage, builds a ballotbox.Service on the SQL store, creates
// an election with a ranked question counted by Schulze and a
// majority-judgment question, loads a census and then:
//
//   - casts ballots on the web and at a kiosk run by an operator;
//   - marks paper voters at a polling station and enters their batch of
//     paper ballots twice, by two agents; the one sheet they read
//     differently is settled by a supervisor; a sheet found beyond the
//     voters marked there is held as excess, never counted, and voided by
//     the station's president;
//   - lets a voter vote again (the last ballot counts);
//   - shows the typed errors of an ineligible voter, a second vote and an
//     invalid ballot;
//   - prints the live results per channel, moves the clock past the close
//     and prints the final ones;
//   - exports the public board, verifies it as any observer could
//     (ballotbox.Verify), and checks one voter's receipt.
//
// The clock is injected (ballotbox.Options.Now), so the whole week of
// voting runs in a second. The service's secret comes from
// CIVICKIT_BALLOTBOX_SECRET (32 bytes or more); without it one is drawn
// for this run, which is enough for a run that starts and ends the
// election, not for a deployment: voter keys are keyed by the secret, so
// every process, restart after restart, needs the same one. Without -out the board is written to
// board.ndjson in a temporary directory, which is kept for inspection;
// a temporary SQLite database is removed at the end.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/storage"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// run parses args, runs the election and reports on stdout; it returns
// the exit status: 0 on success, 2 for bad flags, 1 for any other failure.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("ballotbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("dsn", "", "database: sqlite:FILE, postgres://… or mysql://… (default: SQLite in a temporary directory)")
	out := fs.String("out", "", "file to export the board to (default: board.ndjson in a temporary directory)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ballotbox: unexpected arguments %q\n", fs.Args())
		return 2
	}
	if err := runWithDefaults(*dsn, *out, stdout); err != nil {
		fmt.Fprintln(stderr, "ballotbox:", err)
		return 1
	}
	return 0
}

// runWithDefaults fills in the temporary database and board file, runs
// the election, and cleans up.
func runWithDefaults(dsn, out string, w io.Writer) (err error) {
	if dsn == "" || out == "" {
		tmp, err := os.MkdirTemp("", "civickit-ballotbox-")
		if err != nil {
			return err
		}
		if dsn == "" {
			db := filepath.Join(tmp, "ballotbox.db")
			dsn = "sqlite:" + db
			defer func() {
				// The database goes (with SQLite's side files); the board,
				// if written here, stays for the reader to look at.
				files, _ := filepath.Glob(db + "*")
				for _, f := range files {
					err = errors.Join(err, os.Remove(f))
				}
			}()
		}
		if out == "" {
			out = filepath.Join(tmp, "board.ndjson")
		} else {
			defer func() { err = errors.Join(err, os.RemoveAll(tmp)) }()
		}
	}
	return election(context.Background(), dsn, out, w)
}

// The town's questions. Answers are given by candidate index.
var (
	projects = []string{"Cycle lanes", "Library hours", "Tree planting", "Skate park"}
	sites    = []string{"Town square", "River quay", "Where it is"}
	grades   = []string{"reject", "poor", "fair", "good", "excellent"}
)

// vote returns a ballot: the projects in order of preference, one per
// rank, and a grade (index into grades) for each market site.
func vote(rank []int, marks ...int) ballotbox.Ballot {
	r := make(voting.Ranking, len(rank))
	for i, c := range rank {
		r[i] = []int{c}
	}
	return ballotbox.Ballot{Answers: []ballotbox.Answer{
		{Question: "project", Ranking: r},
		{Question: "market", Scores: marks},
	}}
}

// election runs the whole demonstration on the database dsn and writes
// the board to out.
func election(ctx context.Context, dsn, out string, w io.Writer) error {
	db, err := storage.Open(ctx, storage.Config{DSN: dsn, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return err
	}
	defer db.Close()

	// The service reads the time from Now: the demonstration moves it.
	opens := time.Date(2026, time.March, 2, 8, 0, 0, 0, time.UTC)
	now := opens.Add(time.Hour)
	secret, err := serviceSecret()
	if err != nil {
		return err
	}
	svc, err := ballotbox.NewService(storage.NewBallotBoxStore(db), ballotbox.Options{
		Now:    func() time.Time { return now },
		Secret: secret,
		// Fifteen voters, whose receipts the demonstration checks at once:
		// each cast goes to the board in its own transaction. A deployment
		// keeps the default anonymity set (Options.Anonymity), where casts
		// reach the board in shuffled batches.
		Anonymity: 1,
	})
	if err != nil {
		return err
	}

	e := &ballotbox.Election{
		Title: "Exempleville participatory budget 2026",
		Questions: []ballotbox.Question{
			{ID: "project", Title: "Which project should be funded first?", Method: "schulze", Candidates: projects},
			{ID: "market", Title: "Where should the Saturday market be held?", Method: "majority-judgment",
				Candidates: sites, Spec: voting.CardinalSpec{Kind: voting.Graded, Scale: grades}},
		},
		Opens:       opens,
		Closes:      opens.Add(7*24*time.Hour + 10*time.Hour), // a week, to 18:00
		Eligibility: ballotbox.Eligibility{Census: true},
		Revote:      ballotbox.RevoteLast, // a voter may change their mind: the last ballot counts
		Visibility:  ballotbox.VisibleLive,
	}
	if err := svc.CreateElection(ctx, e); err != nil {
		return err
	}
	fmt.Fprintf(w, "election %q (%s), open %s to %s\n", e.Title, db.Engine(),
		e.Opens.Format("2 Jan 15:04"), e.Closes.Format("2 Jan 15:04 MST"))
	for _, q := range e.Questions {
		fmt.Fprintf(w, "  %s: %s (%s) %s\n", q.ID, q.Title, q.Method, strings.Join(q.Candidates, " / "))
	}

	// The census holds only salted hashes of the identifiers.
	census := make([]string, 15)
	for i := range census {
		census[i] = fmt.Sprintf("EX-%04d", i+1)
	}
	n, err := svc.LoadCensus(ctx, e.ID, census)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "census: %d voters (%s … %s)\n\n", n, census[0], census[len(census)-1])

	// Web ballots. The idempotency key makes a retried request safe.
	web := []ballotbox.Ballot{
		vote([]int{0, 2, 1}, 4, 2, 1),
		vote([]int{2, 0}, 3, 3, 0),
		vote([]int{1, 0, 2, 3}, 2, 4, 2),
		vote([]int{0, 1}, 3, 1, 2),
		vote([]int{2, 0, 1}, 4, 2, 0),
		vote([]int{3, 2}, 1, 3, 3),
	}
	receipts := map[string]ballotbox.Receipt{}
	for i, b := range web {
		id := census[i]
		r, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: id}, Ballot: b, IdempotencyKey: "form-" + id})
		if err != nil {
			return fmt.Errorf("web ballot of %s: %w", id, err)
		}
		receipts[id] = r
	}
	fmt.Fprintf(w, "web: %d ballots cast; %s's receipt tracker is %s (board entry %d)\n",
		len(web), census[0], receipts[census[0]].Tracker, receipts[census[0]].Index)
	retry, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: census[0]}, Ballot: web[0], IdempotencyKey: "form-" + census[0]})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "web: %s's request sent again: same tracker %t, replayed %t\n", census[0], retry.Tracker == receipts[census[0]].Tracker, retry.Replayed)
	// A voter notes the board's head: any board published later must pass through it.
	noted, err := svc.Head(ctx, e.ID)
	if err != nil {
		return err
	}

	// The next day, a kiosk at the library, run by an operator. The
	// operator is recorded on the session, never on a ballot.
	now = now.Add(24 * time.Hour)
	kiosk, err := svc.OpenSession(ctx, e.ID, "operator-17", "Library kiosk", civickit.ChannelKiosk)
	if err != nil {
		return err
	}
	for i, b := range []ballotbox.Ballot{vote([]int{1, 2}, 2, 3, 3), vote([]int{1, 0, 2}, 3, 4, 1), vote([]int{2, 1, 0}, 2, 3, 2)} {
		id := census[6+i]
		if _, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: id}, Ballot: b,
			Channel: civickit.ChannelKiosk, Session: kiosk.ID}); err != nil {
			return fmt.Errorf("kiosk ballot of %s: %w", id, err)
		}
	}
	if err := svc.CloseSession(ctx, kiosk.ID); err != nil {
		return err
	}
	fmt.Fprintf(w, "kiosk: 3 ballots cast at %s by %s's session, now closed\n", kiosk.Place, kiosk.Operator)

	// A voter changes their mind: the new ballot replaces the old on the board.
	revoter := census[2]
	again, err := svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: revoter}, Ballot: vote([]int{2, 1, 0}, 3, 4, 1)})
	if err != nil {
		return err
	}
	if again.Replaces != receipts[revoter].Tracker {
		return fmt.Errorf("the revote of %s replaces %q, not their first ballot", revoter, again.Replaces)
	}
	fmt.Fprintf(w, "revote: %s votes again: entry %d replaces their first ballot, tracker %s\n", revoter, again.Index, again.Replaces)

	// Paper: the clerk marks each voter who takes a paper ballot, so that
	// they can vote in no other channel; the ballots go anonymously into
	// a batch that two agents key independently.
	now = now.Add(24 * time.Hour)
	station, err := svc.OpenSession(ctx, e.ID, "clerk-3", "Polling station 1", civickit.ChannelPaper)
	if err != nil {
		return err
	}
	paperVoters := census[9:14]
	for _, id := range paperVoters {
		if _, err := svc.MarkPaperVoter(ctx, station.ID, ballotbox.Voter{ID: id}, ""); err != nil {
			return fmt.Errorf("paper voter %s: %w", id, err)
		}
	}
	paper := []ballotbox.Ballot{
		vote([]int{0, 2}, 4, 1, 1),
		vote([]int{2, 0, 1, 3}, 3, 2, 2),
		vote([]int{0, 1, 2}, 2, 2, 3),
		vote([]int{3, 0}, 0, 4, 4),
		vote([]int{2, 3}, 3, 3, 1),
	}
	batch, err := svc.CreateBatch(ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: station.Place, Sheets: len(paper), DoubleKeyed: true})
	if err != nil {
		return err
	}
	keyed := func(bs []ballotbox.Ballot) []ballotbox.Sheet {
		sheets := make([]ballotbox.Sheet, len(bs))
		for i := range bs {
			sheets[i] = ballotbox.Sheet{Ballot: &bs[i]}
		}
		return sheets
	}
	if batch, err = svc.KeyBatch(ctx, batch.ID, "agent-a", keyed(paper)); err != nil {
		return err
	}
	misread := slices.Clone(paper)
	misread[2] = vote([]int{0, 2, 1}, 2, 2, 3) // agent b swaps two ranks on sheet 2
	if batch, err = svc.KeyBatch(ctx, batch.ID, "agent-b", keyed(misread)); err != nil {
		return err
	}
	fmt.Fprintf(w, "paper: %d voters marked at %s; batch of %d sheets keyed by agent-a and agent-b: %s, sheets %v disputed\n",
		len(paperVoters), station.Place, batch.Sheets, batch.State, batch.Disputes())
	for _, pos := range batch.Disputes() {
		// A supervisor looks at the paper sheet and enters what it says.
		if batch, err = svc.ResolveSheet(ctx, batch.ID, pos, "supervisor-1", ballotbox.Sheet{Ballot: &paper[pos]}); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "paper: the supervisor read sheet 2 on paper; batch %s\n", batch.State)

	// One more sheet turns up in the box: the station marked 5 voters and
	// counted 5 sheets already, so it cannot count (someone refused at the
	// desk, or who voted elsewhere, may have slipped it in).
	extra, err := svc.CreateBatch(ctx, ballotbox.NewBatch{ElectionID: e.ID, Place: station.Place, Sheets: 1})
	if err != nil {
		return err
	}
	if extra, err = svc.KeyBatch(ctx, extra.ID, "agent-a", keyed([]ballotbox.Ballot{web[0]})); err != nil {
		return err
	}
	places, err := svc.ListPlaces(ctx, e.ID, "", 0)
	if err != nil {
		return err
	}
	for _, p := range places.Items {
		fmt.Fprintf(w, "paper: %s: %d voters marked, %d sheets counted\n", p.Place, p.Marked, p.Sheets)
	}
	fmt.Fprintf(w, "paper: a second bundle of %d sheet: %s, sheets %v held\n", extra.Sheets, extra.State, extra.Excesses())
	if extra, err = svc.VoidSheet(ctx, extra.ID, 0, "president-1", "one sheet more than voters marked"); err != nil {
		return err
	}
	fmt.Fprintf(w, "paper: the station's president voids it: bundle %s, nothing counted\n\n", extra.State)

	// Refusals: each is a typed error, and nothing is written.
	refusals := []struct {
		what string
		c    ballotbox.Cast
	}{
		{"voter EX-0999, not in the census", ballotbox.Cast{Voter: ballotbox.Voter{ID: "EX-0999"}, Ballot: web[0]}},
		{paperVoters[0] + " on the web after voting on paper", ballotbox.Cast{Voter: ballotbox.Voter{ID: paperVoters[0]}, Ballot: web[0]}},
		{census[14] + " ranking Cycle lanes twice", ballotbox.Cast{Voter: ballotbox.Voter{ID: census[14]},
			Ballot: ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "project", Ranking: voting.Ranking{{0}, {0}}}, web[0].Answers[1]}}}},
		{census[14] + " grading a site 7 of 0–4", ballotbox.Cast{Voter: ballotbox.Voter{ID: census[14]}, Ballot: vote([]int{1}, 7, 1, 1)}},
	}
	for _, r := range refusals {
		r.c.ElectionID = e.ID
		_, err := svc.Cast(ctx, r.c)
		if err == nil {
			return fmt.Errorf("%s: accepted", r.what)
		}
		fmt.Fprintf(w, "refused: %s: %s\n", r.what, describe(err))
	}
	fmt.Fprintln(w)

	// Live results, per channel and place (the election shows them live).
	if err := printResults(ctx, w, svc, e, "live results"); err != nil {
		return err
	}

	// The clock passes the close: ballots are refused, results are final.
	now = e.Closes.Add(time.Minute)
	_, err = svc.Cast(ctx, ballotbox.Cast{ElectionID: e.ID, Voter: ballotbox.Voter{ID: census[14]}, Ballot: web[0]})
	fmt.Fprintf(w, "\n%s, after the close: %s: %s\n", now.Format("2 Jan 15:04"), census[14], describe(err))
	final, err := svc.Results(ctx, e.ID, nil, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "final results (final %t), %d ballots:\n", final.Final, final.Questions[0].Result.Ballots)
	for _, q := range final.Questions {
		fmt.Fprintf(w, "  %s: %s elected; ranking %s\n", q.Question, elected(q.Result), ranking(q.Result))
	}

	// Export the public board and verify it as any observer would: from
	// the file alone, with the head the voter noted.
	var board bytes.Buffer
	if err := svc.ExportBoard(ctx, e.ID, &board); err != nil {
		return err
	}
	if err := os.WriteFile(out, board.Bytes(), 0o644); err != nil {
		return err
	}
	mine := receipts[census[0]].Tracker
	replaced := receipts[revoter].Tracker
	f, err := os.Open(out)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := ballotbox.VerifyWith(f, ballotbox.VerifyOptions{Registry: svc.Registry(), Head: noted.Hash, Trackers: []string{mine, replaced}})
	if err != nil {
		return fmt.Errorf("the exported board does not verify: %w", err)
	}
	fmt.Fprintf(w, "\nboard: %s (%d bytes)\n", out, board.Len())
	fmt.Fprintf(w, "board verifies: %d entries, %d ballots, %d replaced, %d counted; passes through the head noted on day 1\n",
		rep.Entries, rep.Ballots, rep.Replaced, rep.Counted)
	fmt.Fprintf(w, "head: %s\n", rep.Head)
	for i, q := range rep.Results {
		if q.Err != nil {
			return fmt.Errorf("recounting %s: %w", q.Question, q.Err)
		}
		if !slices.Equal(q.Result.Elected, final.Questions[i].Result.Elected) {
			return fmt.Errorf("the board's recount of %s elects %v, the service %v", q.Question, q.Result.Elected, final.Questions[i].Result.Elected)
		}
	}
	fmt.Fprintln(w, "recount from the board: same winners as the service")

	// A voter checks their receipt, online and in the exported file.
	chk, err := svc.CheckReceipt(ctx, e.ID, mine)
	if err != nil {
		return err
	}
	st := rep.Trackers[mine]
	fmt.Fprintf(w, "receipt %s (%s): entry %d, counted %t; in the file: found %t, counted %t\n",
		mine, census[0], chk.Entry.Index, chk.Counted, st.Found, st.Counted)
	chk, err = svc.CheckReceipt(ctx, e.ID, replaced)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "receipt %s (%s's first ballot): counted %t, replaced by %s\n", replaced, revoter, chk.Counted, chk.ReplacedBy)
	return nil
}

// serviceSecret returns CIVICKIT_BALLOTBOX_SECRET, or 32 random bytes
// for this run.
func serviceSecret() ([]byte, error) {
	if s := os.Getenv("CIVICKIT_BALLOTBOX_SECRET"); s != "" {
		return []byte(s), nil
	}
	secret := make([]byte, ballotbox.MinSecretLen)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return secret, nil
}

// describe names the typed error behind err and its rule.
func describe(err error) string {
	var be *ballotbox.BallotError
	var ee *ballotbox.EligibilityError
	switch {
	case err == nil:
		return "accepted"
	case errors.As(err, &be):
		return fmt.Sprintf("*ballotbox.BallotError{Question: %q, Rule: %q}", be.Question, be.Rule)
	case errors.As(err, &ee):
		return fmt.Sprintf("*ballotbox.EligibilityError{Rule: %q}", ee.Rule)
	case errors.Is(err, ballotbox.ErrAlreadyVoted):
		return "ballotbox.ErrAlreadyVoted (" + err.Error() + ")"
	case errors.Is(err, ballotbox.ErrClosed):
		return "ballotbox.ErrClosed"
	}
	return err.Error()
}

// printResults prints, for each part (channel and place) and for all of
// them, the winner of each question.
func printResults(ctx context.Context, w io.Writer, svc *ballotbox.Service, e *ballotbox.Election, title string) error {
	all, err := svc.Results(ctx, e.ID, nil, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s (final %t):\n", title, all.Final)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "  part\tballots")
	for _, q := range e.Questions {
		fmt.Fprintf(tw, "\t%s (%s)", q.ID, q.Method)
	}
	fmt.Fprintln(tw)
	row := func(label string, res *ballotbox.Results) {
		fmt.Fprintf(tw, "  %s\t%d", label, res.Questions[0].Result.Ballots)
		for _, q := range res.Questions {
			fmt.Fprintf(tw, "\t%s", elected(q.Result))
		}
		fmt.Fprintln(tw)
	}
	for _, p := range all.Parts {
		res, err := svc.Results(ctx, e.ID, nil, func(q ballotbox.Part) bool { return q == p })
		if err != nil {
			return err
		}
		row(strings.TrimSpace(string(p.Channel)+" "+p.Place), res)
	}
	row("all", all)
	return tw.Flush()
}

// elected names a result's elected candidates, with the tie-break if one
// was needed.
func elected(r *voting.Result) string {
	names := make([]string, len(r.Elected))
	for i, c := range r.Elected {
		names[i] = r.Candidates[c]
	}
	s := strings.Join(names, ", ")
	if r.Tied() {
		s += " (tie broken: " + r.TieBreak + ")"
	}
	return s
}

// ranking writes a result's full order, ties joined by "=".
func ranking(r *voting.Result) string {
	groups := make([]string, len(r.Ranking))
	for i, g := range r.Ranking {
		names := make([]string, len(g))
		for j, c := range g {
			names[j] = r.Candidates[c]
		}
		groups[i] = strings.Join(names, " = ")
	}
	return strings.Join(groups, " > ")
}
