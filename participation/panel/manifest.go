package panel

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/civickit/civickit"
)

// Manifest records a draw so that anyone holding the pool can re-run it
// to the same panel. It holds no personal data: IDs are the pool's
// pseudonyms and the pool itself is only hashed.
type Manifest struct {
	Version    string    `json:"version"` // the algorithms' implementation, Version
	Algorithm  Algorithm `json:"algorithm"`
	PoolSHA256 string    `json:"pool_sha256"` // PoolHash of the pool
	PoolSize   int       `json:"pool_size"`
	K          int       `json:"k"`
	Quotas     []Quota   `json:"quotas"`
	// SeedCommitment is the SHA-256 (hex) of the seed, published before
	// the pool closed; Seed is revealed after (for instance a public
	// lottery's result).
	SeedCommitment string   `json:"seed_commitment"`
	Seed           string   `json:"seed"`
	Alternates     int      `json:"alternates"`
	LegacyRuns     int      `json:"legacy_runs,omitempty"`
	Selected       []string `json:"selected"`
	AlternateIDs   []string `json:"alternate_ids"`
	// MinimumProbability is the smallest selection probability of the
	// lottery drawn from (Legacy: estimated).
	MinimumProbability float64 `json:"minimum_probability"`
	// How the respondents file was read, for panel verify.
	IDColumn         string   `json:"id_column,omitempty"`
	HouseholdColumns []string `json:"household_columns,omitempty"`
}

// Commit returns the SHA-256 commitment of a seed, in hex.
func Commit(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(h[:])
}

// PoolHash is the SHA-256 (hex) of the pool as the draw sees it: for
// each person in pool order, the ID, each quota feature's value (by
// feature name order) and the household key, tab-separated, one line
// each. The order matters: the draw takes people in pool order.
func PoolHash(in Instance) string {
	feats := map[string]bool{}
	for _, q := range in.Quotas {
		feats[q.Feature] = true
	}
	names := sortedKeys(feats)
	h := sha256.New()
	var b strings.Builder
	for _, p := range in.People {
		b.Reset()
		b.WriteString(p.ID)
		for _, f := range names {
			b.WriteString("\t" + f + "=" + p.Features[f])
		}
		b.WriteString("\t" + p.Household + "\n")
		h.Write([]byte(b.String()))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// DrawManifest selects the distribution, draws from it with the seed and
// records the whole in a manifest.
func DrawManifest(in Instance, opts SelectOptions, seed string, alternates int) (Manifest, Distribution, error) {
	if seed == "" {
		return Manifest{}, Distribution{}, invalid("seed", "required", "")
	}
	if opts.Algorithm == "" {
		opts.Algorithm = Leximin
	}
	d, err := Select(in, opts)
	if err != nil {
		return Manifest{}, Distribution{}, err
	}
	sel, err := Draw(in, d, seed, alternates)
	if err != nil {
		return Manifest{}, Distribution{}, err
	}
	m := Manifest{
		Version: Version, Algorithm: opts.Algorithm, PoolSHA256: PoolHash(in), PoolSize: len(in.People),
		K: in.K, Quotas: slices.Clone(in.Quotas), SeedCommitment: Commit(seed), Seed: seed,
		Alternates: alternates, Selected: sel.Panel, AlternateIDs: sel.Alternates,
		MinimumProbability: d.Minimum,
	}
	if opts.Algorithm == Legacy {
		m.LegacyRuns = opts.LegacyRuns
	}
	return m, d, nil
}

// MismatchError says where a manifest and its re-run differ.
type MismatchError struct {
	Field string `json:"field"`
	Want  string `json:"want"` // from the manifest
	Got   string `json:"got"`  // recomputed
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("panel: manifest %s does not verify: manifest says %s, re-run gives %s", e.Field, e.Want, e.Got)
}

// Unwrap makes a mismatch a conflict between the manifest and the pool.
func (e *MismatchError) Unwrap() error { return civickit.ErrConflict }

// Verify re-runs a manifest's draw on a pool (with the manifest's panel
// size and quotas) and reports the first difference as a
// *MismatchError: the pool's hash, the seed's commitment, the version,
// the selected panel or the alternates.
func Verify(m Manifest, people []Person) error {
	in := Instance{K: m.K, Quotas: m.Quotas, People: people}
	if m.Version != Version {
		return &MismatchError{Field: "version", Want: m.Version, Got: Version}
	}
	if got := PoolHash(in); got != m.PoolSHA256 {
		return &MismatchError{Field: "pool_sha256", Want: m.PoolSHA256, Got: got}
	}
	if got := Commit(m.Seed); got != m.SeedCommitment {
		return &MismatchError{Field: "seed_commitment", Want: m.SeedCommitment, Got: got}
	}
	re, _, err := DrawManifest(in, SelectOptions{Algorithm: m.Algorithm, LegacyRuns: m.LegacyRuns}, m.Seed, m.Alternates)
	if err != nil {
		return fmt.Errorf("panel: re-running the manifest: %w", err)
	}
	if !slices.Equal(re.Selected, m.Selected) {
		return &MismatchError{Field: "selected", Want: strings.Join(m.Selected, " "), Got: strings.Join(re.Selected, " ")}
	}
	if !slices.Equal(re.AlternateIDs, m.AlternateIDs) {
		return &MismatchError{Field: "alternate_ids", Want: strings.Join(m.AlternateIDs, " "), Got: strings.Join(re.AlternateIDs, " ")}
	}
	return nil
}
