package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/civickit/civickit/voting/ballotbox"
	"github.com/google/uuid"
)

// notModified sets the ETag and answers 304 when the request's
// If-None-Match names it (or "*").
func notModified(w http.ResponseWriter, r *http.Request, etag string) bool {
	w.Header().Set("ETag", etag)
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			w.WriteHeader(http.StatusNotModified)
			return true
		}
	}
	return false
}

// errNotModified stops an export whose header shows the client has it.
var errNotModified = errors.New("httpapi: not modified")

// boardWriter holds the first line of a board export (its header) until
// it is complete, so that the answer's ETag is the exported head itself,
// not one read before the export began; then it streams.
type boardWriter struct {
	w       http.ResponseWriter
	r       *http.Request
	board   bool // the first line is a BoardHeader
	started bool
	head    []byte
}

func (bw *boardWriter) Write(p []byte) (int, error) {
	if bw.started {
		return bw.w.Write(p)
	}
	if !bw.board {
		bw.start("")
		return bw.w.Write(p)
	}
	bw.head = append(bw.head, p...)
	i := bytes.IndexByte(bw.head, '\n')
	if i < 0 {
		return len(p), nil
	}
	var h ballotbox.BoardHeader
	etag := ""
	if json.Unmarshal(bw.head[:i], &h) == nil {
		etag = headETag(h.Entries, h.Head)
	}
	if etag != "" && notModified(bw.w, bw.r, etag) {
		bw.started = true
		return 0, errNotModified
	}
	bw.start(etag)
	if _, err := bw.w.Write(bw.head); err != nil {
		return 0, err
	}
	bw.head = nil
	return len(p), nil
}

func (bw *boardWriter) start(etag string) {
	bw.started = true
	h := bw.w.Header()
	if etag != "" {
		h.Set("ETag", etag)
	}
	h.Set("Content-Type", "application/jsonl; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	bw.w.WriteHeader(http.StatusOK)
}

// stream answers an export of the election as JSON lines. An error
// before the first byte is a problem document; after it, the connection
// is cut so that the client sees a truncated answer, never a short file
// that looks whole.
func (a *api) stream(w http.ResponseWriter, r *http.Request, what string, export func(ctx context.Context, id uuid.UUID, w io.Writer) error) {
	id, err := electionID(r)
	if err != nil {
		writeError(w, r, a.log, err)
		return
	}
	bw := &boardWriter{w: w, r: r, board: what == "board"}
	err = export(r.Context(), id, bw)
	switch {
	case errors.Is(err, errNotModified):
		return
	case err != nil && !bw.started:
		writeError(w, r, a.log, err)
		return
	case err != nil:
		if r.Context().Err() == nil {
			a.log.Error("export failed midway", "pattern", r.Pattern, "what", what, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	if !bw.started { // an empty export, or a header without its newline
		bw.start("")
		_, _ = w.Write(bw.head)
	}
}
