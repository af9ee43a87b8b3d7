package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
)

// closeAndCheck closes the election over HTTP (the close appends the
// queued ballots), exports the board over HTTP, has `tally verify` verify
// it, and checks every voter's receipts against it.
func closeAndCheck(ctx context.Context, cfg config, reps []*replica, election uuid.UUID, dir string, pr *phaseReport) error {
	client := newClient()
	base := "/api/v1/elections/" + election.String()
	if _, err := call(ctx, client, reps, http.MethodPost, base+"/close"); err != nil {
		return fmt.Errorf("close: %w", err)
	}
	board, err := call(ctx, client, reps, http.MethodGet, base+"/board")
	if err != nil {
		return fmt.Errorf("board: %w", err)
	}
	file := filepath.Join(dir, pr.Name+".board.jsonl")
	if err := os.WriteFile(file, board, 0o600); err != nil {
		return err
	}
	out, err := exec.Command(cfg.tally, "verify", "-json", file).Output()
	var v struct {
		Verifies bool  `json:"verifies"`
		Counted  int64 `json:"counted"`
	}
	if jerr := json.Unmarshal(out, &v); jerr != nil {
		return fmt.Errorf("tally verify: %v %v", err, jerr)
	}
	pr.TallyVerifies = err == nil && v.Verifies
	if !pr.TallyVerifies {
		pr.Failures = append(pr.Failures, fmt.Sprintf("tally verify: %v: %s", err, out))
	}
	return pr.checkBoard(board, v.Counted, cfg.voters)
}

// call sends an organiser's request to the first replica that answers.
func call(ctx context.Context, client *http.Client, reps []*replica, method, path string) ([]byte, error) {
	var last error
	for attempt := 0; attempt < 40; attempt++ {
		rp := reps[attempt%len(reps)]
		req, err := http.NewRequestWithContext(ctx, method, "http://"+rp.addr+path, nil)
		if err != nil {
			return nil, err
		}
		rp.signIn(req, "", true)
		resp, err := client.Do(req)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			switch {
			case rerr != nil:
				err = rerr
			case resp.StatusCode == http.StatusOK:
				return body, nil
			default:
				err = fmt.Errorf("status %d: %s", resp.StatusCode, body)
			}
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	return nil, last
}

// checkBoard reads the board's entries and checks what each voter was
// told: every tracker acknowledged is on the board once (lost
// otherwise), the voter's last one counts and no other does (duplicated
// otherwise), the board holds no ballot nobody was told of (phantom), and
// one ballot counts per voter.
func (pr *phaseReport) checkBoard(board []byte, tallyCounted int64, voters int) error {
	br, err := ballotbox.NewBoardReader(bytes.NewReader(board))
	if err != nil {
		return err
	}
	seen := map[string]int{}
	replaced := map[string]bool{}
	ballot := map[string]bool{}
	for {
		e, err := br.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		pr.BoardEntries++
		seen[e.Tracker]++
		if e.Replaces != "" {
			replaced[e.Replaces] = true
		}
		if !e.Void() {
			ballot[e.Tracker] = true
		}
	}
	counts := func(tr string) bool { return ballot[tr] && !replaced[tr] }
	told := map[string]bool{}
	for _, v := range pr.voters {
		for i, tr := range v.trackers {
			told[tr] = true
			switch {
			case seen[tr] == 0:
				pr.Lost++
			case seen[tr] > 1:
				pr.Duplicated++
			}
			last := i == len(v.trackers)-1
			if last && !counts(tr) && seen[tr] > 0 {
				pr.Lost++ // on the board but not counting: the last ballot lost its place
			}
			if !last && counts(tr) {
				pr.Duplicated++ // an earlier ballot still counts beside the last
			}
		}
	}
	for tr := range seen {
		if !told[tr] {
			pr.Phantom++
		}
	}
	for tr := range ballot {
		if counts(tr) {
			pr.Counted++
		}
	}
	switch {
	case pr.Lost > 0 || pr.Duplicated > 0 || pr.Phantom > 0:
		pr.Failures = append(pr.Failures, fmt.Sprintf("%d lost, %d duplicated, %d phantom", pr.Lost, pr.Duplicated, pr.Phantom))
	case pr.Counted != int64(voters):
		pr.Failures = append(pr.Failures, fmt.Sprintf("%d ballots count for %d voters", pr.Counted, voters))
	case tallyCounted != pr.Counted:
		pr.Failures = append(pr.Failures, fmt.Sprintf("tally verify counts %d, the board %d", tallyCounted, pr.Counted))
	}
	return nil
}
