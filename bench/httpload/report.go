package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

type publicConfig struct {
	Voters    int           `json:"voters"`
	Casts     int           `json:"casts_per_voter"`
	Replay    float64       `json:"replay"`
	Replicas  int           `json:"replicas"`
	Kills     int           `json:"kills"`
	KillEvery time.Duration `json:"kill_every_ns"`
	K         int           `json:"anonymity"`
	Repeat    int           `json:"repeat"`
	Replica   string        `json:"replica"` // serve or reference
	Stale     time.Duration `json:"idempotency_stale_ns"`
}

func (c config) public() publicConfig {
	return publicConfig{Voters: c.voters, Casts: c.casts, Replay: c.replay, Replicas: c.replicas, Kills: c.kills, KillEvery: c.killEvery, K: c.k, Repeat: c.repeat, Replica: c.replica, Stale: c.stale}
}

type report struct {
	Config publicConfig  `json:"config"`
	Phases []phaseReport `json:"phases"`
}

func (r *report) print(w io.Writer) {
	c := r.Config
	fmt.Fprintf(w, "%d voters × %d casts (revote last), %.0f%% replayed, %d %s replicas on one PostgreSQL, anonymity set %d\n",
		c.Voters, c.Casts, c.Replay*100, c.Replicas, c.Replica, c.K)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tcasts\treplays\tretries\tkills\tcasts/s\tp50 ms\tp99 ms\tboard\tcounted\tlost\tdup\tphantom\ttally verify\t")
	for _, p := range r.Phases {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.0f\t%.1f\t%.1f\t%d\t%d\t%d\t%d\t%d\t%v\t\n", p.Name, p.Casts, p.Replays, p.Retries, p.Kills,
			p.CastsPerSec, p.P50ms, p.P99ms, p.BoardEntries, p.Counted, p.Lost, p.Duplicated, p.Phantom, p.TallyVerifies)
	}
	tw.Flush()
	var in, over []float64
	for _, p := range r.Phases {
		switch p.Name {
		case "in-process":
			in = append(in, p.CastsPerSec)
		case "http":
			over = append(over, p.CastsPerSec)
		}
	}
	if len(in) > 0 && len(over) > 0 {
		mi, mo := median(in), median(over)
		fmt.Fprintf(w, "median casts/s: in-process %.0f, http %.0f: HTTP casts/s are %.0f%% of in-process (%d runs each)\n", mi, mo, 100*mo/mi, len(in))
	}
	for _, p := range r.Phases {
		for _, f := range p.Failures {
			fmt.Fprintf(w, "FAIL %s: %s\n", p.Name, f)
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
