package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/voting"
	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
)

// replica is one API process, restarted on the same loopback port after
// each kill: this program's `serve`, or the reference-server binary
// (-replica reference), whose readiness is polled at /readyz.
type replica struct {
	exe, addr string
	args      []string
	reference bool
	logFile   string // the reference server's output, for a failed start
	mu        sync.Mutex
	cmd       *exec.Cmd
	exited    chan struct{} // closed when a reference server's process has exited
}

func newReplica(exe, dsn, secretFile string, k int, stale time.Duration, conns int) (*replica, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	return &replica{exe: exe, addr: addr, args: []string{"serve", "-addr", addr, "-dsn", dsn, "-secret-file", secretFile,
		"-k", fmt.Sprint(k), "-idempotency-stale", stale.String(), "-conns", fmt.Sprint(conns)}}, nil
}

// newReferenceReplica runs the reference server as the proof's replica:
// its development login (loopback only), the ballot secret from a file,
// no rate limits (every voter comes from 127.0.0.1), and logs to a file.
func newReferenceReplica(exe, dsn, secretFile, logFile string, k int, stale time.Duration, conns int) (*replica, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	return &replica{exe: exe, addr: addr, reference: true, logFile: logFile, args: []string{"-addr", addr, "-dsn", dsn,
		"-dev-auth", "-ballot-secret-file", secretFile, "-ballot-anonymity", fmt.Sprint(k),
		"-rate-ip", "0", "-rate-identity", "0", "-idempotency-stale", stale.String(), "-log-level", "warn", "-db-max-conns", fmt.Sprint(conns)}}, nil
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// start runs the process and returns once it listens.
func (r *replica) start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reference {
		return r.startReference()
	}
	var err error
	for try := 0; try < 50; try++ { // the port may linger a moment after a kill
		cmd := exec.Command(r.exe, r.args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, perr := cmd.StdoutPipe()
		if perr != nil {
			return perr
		}
		if err = cmd.Start(); err != nil {
			return err
		}
		line, rerr := bufio.NewReader(out).ReadString('\n')
		if rerr == nil && strings.HasPrefix(line, "listening ") {
			r.cmd = cmd
			return nil
		}
		_ = cmd.Wait()
		err = fmt.Errorf("replica %s did not start: %s", r.addr, strings.TrimSpace(stderr.String()))
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// startReference starts the reference server and waits until GET /readyz
// answers 200 (it has opened and migrated the database and listens); a
// process that exits first (its port still held after a kill) is started
// again.
func (r *replica) startReference() error {
	client := &http.Client{Timeout: time.Second}
	var err error
	for try := 0; try < 50; try++ {
		log, ferr := os.OpenFile(r.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if ferr != nil {
			return ferr
		}
		cmd := exec.Command(r.exe, r.args...)
		cmd.Stdout, cmd.Stderr = log, log
		if err = cmd.Start(); err != nil {
			log.Close()
			return err
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); log.Close(); close(exited) }()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			select {
			case <-exited:
				err = fmt.Errorf("reference-server %s exited at start (see %s)", r.addr, r.logFile)
			default:
				resp, gerr := client.Get("http://" + r.addr + "/readyz")
				if gerr == nil {
					resp.Body.Close()
					if resp.StatusCode == http.StatusOK {
						r.cmd = cmd
						r.exited = exited
						return nil
					}
				}
				time.Sleep(10 * time.Millisecond)
				continue
			}
			break
		}
		if err == nil {
			_ = cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			return fmt.Errorf("reference-server %s not ready in 20 s (see %s)", r.addr, r.logFile)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return err
}

// signIn signs req in as who (a voter's UUID), or as an organiser: with
// the bench's header for `serve`, with the development login's headers
// for the reference server (which links each dev user to a participant
// of its own, shared by the replicas through the database).
func (r *replica) signIn(req *http.Request, who string, organiser bool) {
	switch {
	case r.reference && organiser:
		req.Header.Set("X-Civickit-Dev-User", "httpload-organiser")
		req.Header.Set("X-Civickit-Dev-Roles", "organiser")
	case r.reference:
		req.Header.Set("X-Civickit-Dev-User", who)
	case organiser:
		req.Header.Set("Authorization", "Bench organiser")
	default:
		req.Header.Set("Authorization", "Bench "+who)
	}
}

// kill sends SIGKILL: no shutdown, no flush, connections cut.
func (r *replica) kill() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Signal(syscall.SIGKILL)
	if r.exited != nil { // Wait runs in startReference's goroutine
		<-r.exited
	} else {
		_ = r.cmd.Wait()
	}
	r.cmd, r.exited = nil, nil
}

func (r *replica) stop() { r.kill() }

// castBody is what the API's cast route reads.
type castBody struct {
	Ballot ballotbox.Ballot `json:"ballot"`
}

// caster casts one voter's ballot under an idempotency key; err is a
// failure worth retrying (a connection cut, a 5xx), status any answer.
type caster interface {
	cast(ctx context.Context, attempt int, voter uuid.UUID, key string, b ballotbox.Ballot) (rc ballotbox.Receipt, status int, err error)
}

type boxCaster struct{ box *ballotbox.Service }

func (c *boxCaster) cast(ctx context.Context, _ int, voter uuid.UUID, key string, b ballotbox.Ballot) (ballotbox.Receipt, int, error) {
	e := electionOf(ctx)
	rc, err := c.box.Cast(ctx, ballotbox.Cast{ElectionID: e, Voter: ballotbox.Voter{ID: voter.String()}, Ballot: b,
		Channel: civickit.ChannelWeb, IdempotencyKey: key})
	switch {
	case err == nil && rc.Replayed:
		return rc, http.StatusOK, nil
	case err == nil:
		return rc, http.StatusCreated, nil
	case errors.Is(err, civickit.ErrConflict):
		return rc, http.StatusConflict, nil
	}
	return rc, 0, err
}

type electionKey struct{}

func electionOf(ctx context.Context) uuid.UUID { return ctx.Value(electionKey{}).(uuid.UUID) }

type httpCaster struct {
	reps   []*replica
	client *http.Client
}

func newClient() *http.Client {
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 1024, MaxIdleConnsPerHost: 512, IdleConnTimeout: 30 * time.Second,
		DialContext: (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
	}}
}

func (c *httpCaster) cast(ctx context.Context, attempt int, voter uuid.UUID, key string, b ballotbox.Ballot) (ballotbox.Receipt, int, error) {
	body, _ := json.Marshal(castBody{Ballot: b})
	// Each attempt goes to the next replica: a retry after a cut lands on
	// the one that is up.
	rp := c.reps[(int(voter[0])+attempt)%len(c.reps)]
	req, err := http.NewRequestWithContext(ctx, http.MethodPost,
		"http://"+rp.addr+"/api/v1/elections/"+electionOf(ctx).String()+"/ballots", bytes.NewReader(body))
	if err != nil {
		return ballotbox.Receipt{}, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	rp.signIn(req, voter.String(), false)
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.client.Do(req)
	if err != nil {
		return ballotbox.Receipt{}, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return ballotbox.Receipt{}, 0, err
	}
	if resp.StatusCode >= 500 {
		return ballotbox.Receipt{}, resp.StatusCode, fmt.Errorf("status %d", resp.StatusCode)
	}
	// 409 with Retry-After: the key is still claimed by a request that has
	// not answered — its replica was killed while it ran. The answer says
	// when to try again, with the same key, until the claim goes stale
	// (-idempotency-stale) and the retry runs the cast, which the ballot
	// box itself replays if the killed request had committed it.
	if resp.StatusCode == http.StatusConflict && resp.Header.Get("Retry-After") != "" {
		wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		time.Sleep(time.Duration(max(wait, 1)) * time.Second)
		return ballotbox.Receipt{}, resp.StatusCode, fmt.Errorf("status 409, key busy")
	}
	var rc ballotbox.Receipt
	if resp.StatusCode < 300 {
		if err := json.Unmarshal(data, &rc); err != nil {
			return rc, resp.StatusCode, fmt.Errorf("answer: %w", err)
		}
	}
	return rc, resp.StatusCode, nil
}

// voterLog is what one voter was told: the tracker of each cast.
type voterLog struct {
	id       uuid.UUID
	trackers []string
}

// phaseReport is one phase's figures and verdict.
type phaseReport struct {
	Name          string   `json:"name"`
	Casts         int64    `json:"casts"`   // acknowledged first sends
	Replays       int64    `json:"replays"` // sends again of acknowledged casts
	Retries       int64    `json:"retries"` // attempts after a cut or a 5xx
	Seconds       float64  `json:"seconds"`
	CastsPerSec   float64  `json:"casts_per_s"`
	P50ms         float64  `json:"p50_ms"`
	P99ms         float64  `json:"p99_ms"`
	Kills         int      `json:"kills"`
	BoardEntries  int64    `json:"board_entries"`
	Counted       int64    `json:"counted"`
	Lost          int      `json:"lost"`
	Duplicated    int      `json:"duplicated"`
	Phantom       int      `json:"phantom"`
	ReplayWrong   int64    `json:"replay_wrong"`
	TallyVerifies bool     `json:"tally_verifies"`
	Failures      []string `json:"failures,omitempty"`
	voters        []voterLog
}

// runPhase runs the workload: every voter casts cfg.casts ballots one
// after the other (each acknowledged before the next), sends a share of
// them again, and retries a failed attempt, with its key, until it is
// acknowledged. With kills, a killer sends SIGKILL to the replicas in
// turn and restarts each; the voters then pace their casts over the
// kills' span, so that the kills fall during the load.
func runPhase(ctx context.Context, name string, cfg config, c caster, election uuid.UUID, reps []*replica, kills int) phaseReport {
	ctx = context.WithValue(ctx, electionKey{}, election)
	pr := phaseReport{Name: name, voters: make([]voterLog, cfg.voters)}
	var pace time.Duration
	if kills > 0 {
		pace = time.Duration(kills) * cfg.killEvery / time.Duration(cfg.casts)
	}
	var casts, replays, retries, wrong atomic.Int64
	lat := make([][]time.Duration, cfg.voters)
	var failMu sync.Mutex
	fail := func(format string, args ...any) {
		failMu.Lock()
		defer failMu.Unlock()
		if len(pr.Failures) < 20 {
			pr.Failures = append(pr.Failures, fmt.Sprintf(format, args...))
		}
	}
	// send retries one request until an answer that is not a failure.
	send := func(voter uuid.UUID, key string, b ballotbox.Ballot, lats *[]time.Duration) (ballotbox.Receipt, int, bool) {
		deadline := time.Now().Add(2 * time.Minute)
		for attempt := 0; ; attempt++ {
			start := time.Now()
			rc, status, err := c.cast(ctx, attempt, voter, key, b)
			if err == nil {
				*lats = append(*lats, time.Since(start))
				return rc, status, true
			}
			if time.Now().After(deadline) {
				fail("voter %s key %s: gave up: %v", voter, key, err)
				return rc, status, false
			}
			retries.Add(1)
			time.Sleep(time.Duration(10+mrand.IntN(20*min(attempt+1, 10))) * time.Millisecond)
		}
	}
	killed := make(chan int, 1)
	stopKiller := make(chan struct{})
	var done atomic.Int64 // kills so far
	if kills > 0 {
		go func() {
			n := 0
			defer func() { killed <- n }()
			defer done.Store(int64(kills)) // no voter waits for kills that will not come
			for n < kills {
				select {
				case <-stopKiller:
					return
				case <-time.After(cfg.killEvery):
				}
				r := reps[n%len(reps)]
				r.kill()
				n++
				done.Store(int64(n))
				if err := r.start(); err != nil {
					fail("restart: %v", err)
					return
				}
			}
		}()
	}
	begin := time.Now()
	var wg sync.WaitGroup
	for i := range cfg.voters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := mrand.New(mrand.NewPCG(uint64(i), 7))
			v := voterLog{id: uuid.New()}
			for j := range cfg.casts {
				if pace > 0 {
					// Cast j waits for its share of the kills, so that
					// they spread over the load and all fall before its
					// last round.
					for done.Load() < int64(j*kills/max(cfg.casts-1, 1)) {
						time.Sleep(10 * time.Millisecond)
					}
					time.Sleep(time.Duration(rnd.Int64N(int64(2 * pace))))
				}
				b := ballotbox.Ballot{Answers: []ballotbox.Answer{{Question: "q", Ranking: voting.Ranking{{(i + j) % 4}, {(i + j + 1) % 4}}}}}
				key := fmt.Sprintf("%s-%d", v.id, j)
				rc, status, ok := send(v.id, key, b, &lat[i])
				if !ok {
					break
				}
				// A cast retried after a cut may find its first attempt
				// committed: then it is a replay, with the same receipt.
				if status != http.StatusCreated && status != http.StatusOK {
					fail("voter %s cast %d: status %d", v.id, j, status)
					break
				}
				casts.Add(1)
				v.trackers = append(v.trackers, rc.Tracker)
				if rnd.Float64() < cfg.replay {
					again, status, ok := send(v.id, key, b, &lat[i])
					replays.Add(1)
					// The ballot box answers a replay 200 with replayed set;
					// a generic idempotency layer in front of it may instead
					// answer the first 201 again. Either way: the same receipt.
					if !ok || status/100 != 2 || again.Tracker != rc.Tracker || status == http.StatusOK && !again.Replayed {
						wrong.Add(1)
						fail("voter %s cast %d: replay answered %d %q (replayed %v), first %q", v.id, j, status, again.Tracker, again.Replayed, rc.Tracker)
					}
				}
			}
			pr.voters[i] = v
		}()
	}
	wg.Wait()
	pr.Seconds = time.Since(begin).Seconds()
	if kills > 0 {
		close(stopKiller)
		pr.Kills = <-killed
	}
	pr.Casts, pr.Replays, pr.Retries, pr.ReplayWrong = casts.Load(), replays.Load(), retries.Load(), wrong.Load()
	pr.CastsPerSec = float64(pr.Casts) / pr.Seconds
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) > 0 {
		pr.P50ms = float64(all[len(all)/2].Microseconds()) / 1000
		pr.P99ms = float64(all[len(all)*99/100].Microseconds()) / 1000
	}
	return pr
}
