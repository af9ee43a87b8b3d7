package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/civickit/civickit"
	"github.com/civickit/civickit/associations"
	"github.com/civickit/civickit/storage"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func get(t *testing.T, base, path string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get(base + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if v != nil {
		require.NoError(t, json.Unmarshal(body, v), string(body))
	}
	return resp
}

// TestRun starts the server as `go run ./reference-server` would, on a
// SQLite file, and stops it with a cancelled context.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var logs bytes.Buffer
	done := make(chan error, 1)
	env := map[string]string{"CIVICKIT_DSN": "sqlite:" + filepath.Join(dir, "civickit.db")}
	rna := filepath.Join("..", "associations", "testdata", "rna", "rna_waldec_synthetic.csv")
	go func() {
		ban := filepath.Join("..", "associations", "testdata", "ban", "adresses-extract.csv")
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0", "-import-rna", rna, "-ban", ban}, func(k string) string { return env[k] }, &logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server stopped early: %v\n%s", err, logs.String())
	case <-time.After(time.Minute):
		t.Fatal("server never became ready")
	}
	metricsAddr := regexp.MustCompile(`msg=metrics addr=(\S+)`).FindStringSubmatch(logs.String())
	var health map[string]string
	resp := get(t, "http://"+addr, "/healthz", &health)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp = get(t, "http://"+addr, "/readyz", &health)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, metricsAddr, 2, "the metrics address is logged")
	mresp, err := http.Get("http://" + metricsAddr[1] + "/metrics")
	require.NoError(t, err)
	mbody, _ := io.ReadAll(mresp.Body)
	mresp.Body.Close()
	assert.Contains(t, string(mbody), `civickit_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`)
	assert.Contains(t, string(mbody), "go_goroutines")
	var page civickit.Page[associations.Association]
	get(t, "http://"+addr, "/api/v1/associations", &page)
	assert.Len(t, page.Items, 3, "the three lines of the RNA fixture were imported")
	var one associations.Association
	get(t, "http://"+addr, "/api/v1/associations/rna/W999000001", &one)
	assert.Equal(t, "CLUB DE LECTURE DES TILLEULS", one.Name)
	// The BAN extract located the imported rows: "near me" by postal code finds them.
	var near civickit.Page[associations.NearHit]
	resp = get(t, "http://"+addr, "/api/v1/associations/near?radius_m=2000&address_postal_code=99100", &near)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, near.Items, 1)
	assert.Equal(t, "CLUB DE LECTURE DES TILLEULS", near.Items[0].Association.Name)
	// The mediation places directory is served, empty: the schema's header.
	var places []map[string]any
	resp = get(t, "http://"+addr, "/mediation-places.json", &places)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, places)
	assert.Contains(t, logs.String(), "associations geocoded")
	assert.Contains(t, logs.String(), "housenumber=2")
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, logs.String(), "shutting down")
	assert.True(t, strings.Contains(logs.String(), "engine=sqlite"), logs.String())
}

func TestParseConfig(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	c, err := parseConfig(nil, env(nil), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", c.addr)
	assert.Equal(t, storage.DefaultDSN, c.dsn)

	c, err = parseConfig(nil, env(map[string]string{"CIVICKIT_ADDR": ":9000", "CIVICKIT_DSN": "postgres://x/y"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":9000", c.addr)
	assert.Equal(t, "postgres://x/y", c.dsn)

	c, err = parseConfig([]string{"-addr", ":7000"}, env(map[string]string{"CIVICKIT_ADDR": ":9000"}), io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":7000", c.addr, "flags win over the environment")

	_, err = parseConfig([]string{"-log-level", "loud"}, env(nil), io.Discard)
	assert.Error(t, err)
	_, err = parseConfig([]string{"extra"}, env(nil), io.Discard)
	assert.Error(t, err)
}

// The ballot box's secret comes from a file; a short one stops the
// server, a good one serves the elections routes (which need a signed-in
// caller to write).
func TestRunBallotSecret(t *testing.T) {
	dir := t.TempDir()
	short, good := filepath.Join(dir, "short"), filepath.Join(dir, "good")
	require.NoError(t, os.WriteFile(short, []byte("too short\n"), 0o600))
	require.NoError(t, os.WriteFile(good, []byte("0123456789abcdef0123456789abcdef0123456789abcdef\n"), 0o600))
	env := map[string]string{"CIVICKIT_DSN": "sqlite:" + filepath.Join(dir, "civickit.db"), "CIVICKIT_BALLOT_SECRET_FILE": short}
	getenv := func(k string) string { return env[k] }
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0"}, getenv, io.Discard, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-ballot-secret-file")

	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-ballot-secret-file", good}, getenv, io.Discard, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("server stopped early: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("server never became ready")
	}
	resp, err := http.Post("http://"+addr+"/api/v1/elections", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	cancel()
	require.NoError(t, <-done)
}

func TestParseConfigFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "civickit.conf")
	require.NoError(t, os.WriteFile(file, []byte("# a comment\naddr = :7100\nrate-ip = 5/10\ncors-origins = https://a.example, https://b.example\n"), 0o600))
	env := map[string]string{"CIVICKIT_RATE_IP": "7/14"}
	c, err := parseConfig([]string{"-config", file}, func(k string) string { return env[k] }, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, ":7100", c.addr, "from the file")
	assert.Equal(t, 7.0, c.rateIP.PerSecond, "the environment wins over the file")
	assert.Equal(t, []string{"https://a.example", "https://b.example"}, c.corsOrigins)
	assert.Equal(t, 20.0, c.rateUser.PerSecond, "the default")

	require.NoError(t, os.WriteFile(file, []byte("adress = :1\n"), 0o600))
	_, err = parseConfig([]string{"-config=" + file}, func(string) string { return "" }, io.Discard)
	assert.ErrorContains(t, err, `unknown setting "adress"`)
	for _, bad := range [][]string{{"-rate-ip", "fast"}, {"-rate-identity", "1/0"}, {"-max-body", "12"}, {"-trust-proxy-hops", "-1"},
		{"-oidc-issuer", "https://idp.example"}} {
		_, err := parseConfig(bad, func(string) string { return "" }, io.Discard)
		assert.Error(t, err, "%v", bad)
	}
	_, err = parseConfig(nil, func(k string) string { return map[string]string{"CIVICKIT_SHUTDOWN_GRACE": "soon"}[k] }, io.Discard)
	assert.ErrorContains(t, err, "CIVICKIT_SHUTDOWN_GRACE")
}

// TestConfigurationDocumented: docs/configuration.md's table lists every
// flag with its environment variable.
func TestConfigurationDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "configuration.md"))
	require.NoError(t, err)
	// parseConfig defines the flags on its own set: list them by -help.
	var help bytes.Buffer
	_, _ = parseConfig([]string{"-help"}, func(string) string { return "" }, &help)
	names := regexp.MustCompile(`(?m)^  -([a-z-]+)`).FindAllStringSubmatch(help.String(), -1)
	require.Greater(t, len(names), 20)
	for _, n := range names {
		if !strings.Contains(string(doc), "| `-"+n[1]+"` | `"+envName(n[1])+"` |") {
			t.Errorf("docs/configuration.md has no row for -%s (%s)", n[1], envName(n[1]))
		}
	}
}
