package voting_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/civickit/civickit/voting"
	"github.com/stretchr/testify/require"
)

// election is one profile read from a testdata file, with its EXPECT lines.
type election struct {
	Name    string
	Profile *voting.Profile
	Expect  []string
}

// readElections reads testdata/<file> in the format described in
// testdata/README.md. Candidates are those of the "candidates:" line or,
// without one, those met in the ballots in order of appearance.
func readElections(t *testing.T, file string, policy voting.UnrankedPolicy) []election {
	t.Helper()
	f, err := os.Open("testdata/" + file)
	require.NoError(t, err)
	defer f.Close()
	type ballot struct {
		groups [][]string
		count  int64
	}
	type raw struct {
		name    string
		names   []string
		ballots []ballot
		expect  []string
	}
	var all []*raw
	cur := &raw{name: file}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "["):
			if len(cur.ballots) > 0 {
				all = append(all, cur)
			}
			cur = &raw{name: strings.Trim(line, "[]")}
			continue
		case strings.HasPrefix(line, "candidates:"):
			cur.names = strings.Fields(strings.TrimPrefix(line, "candidates:"))
			continue
		case strings.HasPrefix(line, "EXPECT"):
			cur.expect = append(cur.expect, strings.TrimSpace(strings.TrimPrefix(line, "EXPECT")))
			continue
		}
		var b ballot
		body := line
		if head, rest, ok := strings.Cut(line, ":"); ok && !strings.Contains(head, ">") {
			n, err := strconv.ParseInt(strings.TrimSpace(head), 10, 64)
			require.NoError(t, err, line)
			b.count, body = n, rest
		} else if rest, n, ok := strings.Cut(line, "*"); ok {
			c, err := strconv.ParseInt(strings.TrimSpace(n), 10, 64)
			require.NoError(t, err, line)
			b.count, body = c, rest
		} else {
			b.count = 1
		}
		for _, g := range strings.Split(body, ">") {
			var group []string
			for _, c := range strings.Split(g, "=") {
				if c = strings.TrimSpace(c); c != "" {
					group = append(group, c)
				}
			}
			b.groups = append(b.groups, group)
		}
		cur.ballots = append(cur.ballots, b)
	}
	require.NoError(t, sc.Err())
	if len(cur.ballots) > 0 {
		all = append(all, cur)
	}
	var out []election
	for _, r := range all {
		names := r.names
		if names == nil {
			seen := map[string]bool{}
			for _, b := range r.ballots {
				for _, g := range b.groups {
					for _, c := range g {
						if !seen[c] {
							seen[c] = true
							names = append(names, c)
						}
					}
				}
			}
		}
		index := map[string]int{}
		for i, n := range names {
			index[n] = i
		}
		p, err := voting.NewProfile(names, policy)
		require.NoError(t, err)
		for _, b := range r.ballots {
			var rk voting.Ranking
			for _, g := range b.groups {
				var ig []int
				for _, c := range g {
					i, ok := index[c]
					require.True(t, ok, "%s: unknown candidate %q", r.name, c)
					ig = append(ig, i)
				}
				rk = append(rk, ig)
			}
			require.NoError(t, p.Add(rk, b.count), r.name)
		}
		out = append(out, election{Name: r.name, Profile: p, Expect: r.expect})
	}
	return out
}

// names maps candidate indices to names.
func names(p *voting.Profile, cs []int) []string {
	all := p.Candidates()
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = all[c]
	}
	return out
}

// rankingNames renders a ranking as "A > B = C".
func rankingNames(p *voting.Profile, r [][]int) string {
	var parts []string
	for _, g := range r {
		parts = append(parts, strings.Join(names(p, g), " = "))
	}
	return strings.Join(parts, " > ")
}
