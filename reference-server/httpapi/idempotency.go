package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/civickit/civickit"
)

// idempotent runs a POST sent with an Idempotency-Key at most once per
// (caller, method and path, key): the first request's answer is stored and replayed
// to retries with the same body (header Idempotent-Replayed: true); a
// retry with another body is refused (422); a duplicate sent while the
// first runs waits for its answer (409 when it takes too long). A 5xx or
// a panic releases the key, so that a retry runs again. Without the
// header, the request runs as is.
func (a *api) idempotent(rt Route, p Principal, w http.ResponseWriter, r *http.Request, next http.HandlerFunc) {
	key := r.Header.Get("Idempotency-Key")
	if r.Method != http.MethodPost || key == "" {
		next(w, r)
		return
	}
	var ve civickit.ValidationError
	civickit.CheckIdempotencyKey("Idempotency-Key", key, &ve)
	if err := ve.Err(); err != nil {
		writeError(w, r, a.log, err)
		return
	}
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		writeError(w, r, a.log, errBodyTooBig)
		return
	}
	if err != nil {
		writeError(w, r, a.log, civickit.Invalid("body", "readable", ""))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	caller := "anon " + a.clientIP(r)
	if !p.Anonymous() {
		caller = "sub " + p.Subject
	}
	// The key is scoped to the request's path, not its route pattern: a
	// client numbering its keys per resource (key "1" for a ballot in each
	// election) makes distinct requests, which must each take effect.
	sum := sha256.Sum256([]byte(caller + "\x00" + rt.Method + " " + r.URL.Path + "\x00" + key))
	bodySum := sha256.Sum256(body)
	rec := IdempotencyRecord{Key: hex.EncodeToString(sum[:]), BodyHash: hex.EncodeToString(bodySum[:]), Header: map[string]string{}}

	ctx := r.Context()
	deadline := a.now().Add(a.limits.IdempotencyWait)
	for {
		rec.CreatedAt = a.now()
		found, claimed, err := a.idem.ClaimIdempotencyKey(ctx, rec, rec.CreatedAt.Add(-a.limits.IdempotencyStale))
		if err != nil {
			writeError(w, r, a.log, err)
			return
		}
		if claimed {
			break
		}
		if found.BodyHash != rec.BodyHash {
			writeError(w, r, a.log, errKeyReused)
			return
		}
		if found.Done {
			h := w.Header()
			for k, v := range found.Header {
				h.Set(k, v)
			}
			h.Set("Idempotent-Replayed", "true")
			w.WriteHeader(found.Status)
			_, _ = w.Write(found.Body)
			return
		}
		if !a.now().Before(deadline) {
			w.Header().Set("Retry-After", "1")
			writeError(w, r, a.log, errKeyBusy)
			return
		}
		select {
		case <-ctx.Done():
			writeError(w, r, a.log, ctx.Err())
			return
		case <-time.After(20 * time.Millisecond):
		}
	}

	rec2 := &recordingWriter{ResponseWriter: w, limit: a.maxBody}
	finished := false
	defer func() {
		if !finished { // a panic: let a retry run again
			_ = a.idem.ReleaseIdempotencyKey(context.WithoutCancel(ctx), rec.Key)
		}
	}()
	next(rec2, r)
	finished = true
	status := rec2.status
	if status == 0 {
		status = http.StatusOK
	}
	bg := context.WithoutCancel(ctx)
	if status >= 500 || status == StatusClientClosedRequest || rec2.overflow {
		if err := a.idem.ReleaseIdempotencyKey(bg, rec.Key); err != nil {
			a.log.Error("idempotency key not released", "pattern", rt.Pattern, "err", err)
		}
		return
	}
	rec.Done, rec.Status, rec.Body = true, status, rec2.buf.Bytes()
	for _, k := range []string{"Content-Type", "Location", "ETag", "Cache-Control"} {
		if v := w.Header().Get(k); v != "" {
			rec.Header[k] = v
		}
	}
	if err := a.idem.FinishIdempotencyKey(bg, rec); err != nil {
		a.log.Error("idempotent answer not stored", "pattern", rt.Pattern, "err", err)
	}
}

// recordingWriter passes an answer through and keeps a copy of it, up to
// limit bytes.
type recordingWriter struct {
	http.ResponseWriter
	status   int
	buf      bytes.Buffer
	limit    int64
	overflow bool
}

func (w *recordingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.overflow {
		if int64(w.buf.Len()+len(b)) > w.limit {
			w.overflow, w.buf = true, bytes.Buffer{}
		} else {
			w.buf.Write(b)
		}
	}
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// memoryIdempotency keeps idempotency records in the process: for tests
// and a single development server. A deployment with several replicas
// uses storage.ServerStore.
type memoryIdempotency struct {
	mu   sync.Mutex
	recs map[string]IdempotencyRecord
}

// NewMemoryIdempotency returns an IdempotencyStore in memory, for one
// process.
func NewMemoryIdempotency() IdempotencyStore {
	return &memoryIdempotency{recs: map[string]IdempotencyRecord{}}
}

func (m *memoryIdempotency) ClaimIdempotencyKey(_ context.Context, rec IdempotencyRecord, staleBefore time.Time) (IdempotencyRecord, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.recs[rec.Key]; ok && (f.Done || !f.CreatedAt.Before(staleBefore)) {
		return f, false, nil
	}
	rec.Done = false
	m.recs[rec.Key] = rec
	return rec, true, nil
}

func (m *memoryIdempotency) FinishIdempotencyKey(_ context.Context, rec IdempotencyRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.recs[rec.Key]; !ok || f.Done || f.BodyHash != rec.BodyHash {
		return civickit.Sentinel(civickit.ErrConflict, "httpapi: idempotency key not pending")
	}
	rec.Done = true
	m.recs[rec.Key] = rec
	return nil
}

func (m *memoryIdempotency) ReleaseIdempotencyKey(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f, ok := m.recs[key]; ok && !f.Done {
		delete(m.recs, key)
	}
	return nil
}

func (m *memoryIdempotency) PurgeIdempotencyKeys(_ context.Context, before time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for k, f := range m.recs {
		if f.CreatedAt.Before(before) {
			delete(m.recs, k)
			n++
		}
	}
	return n, nil
}
