package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// conditional gives public JSON reads an ETag (a digest of the answer)
// and answers If-None-Match with 304, so that clients and caches
// revalidate for the price of a header. Answers whose handler sets its
// own ETag (the open-data documents, the ballot board), marks them
// no-store, sends another media type or flushes (a stream) pass through
// unbuffered.
func conditional(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		bw := &bufferedWriter{ResponseWriter: w}
		next(bw, r)
		if bw.passthrough {
			return
		}
		h := w.Header()
		status := bw.status
		if status == 0 {
			status = http.StatusOK
		}
		if status == http.StatusOK {
			sum := sha256.Sum256(bw.buf.Bytes())
			etag := `"` + hex.EncodeToString(sum[:16]) + `"`
			h.Set("ETag", etag)
			if h.Get("Cache-Control") == "" {
				h.Set("Cache-Control", "no-cache") // revalidate each time: answers change with the data
			}
			if matchesETag(r.Header.Get("If-None-Match"), etag) {
				for _, k := range []string{"Content-Type", "Content-Length", "X-Content-Type-Options"} {
					h.Del(k)
				}
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.WriteHeader(status)
		_, _ = w.Write(bw.buf.Bytes())
	}
}

// matchesETag reads an If-None-Match list ("*", strong or weak tags).
func matchesETag(header, etag string) bool {
	for t := range strings.SplitSeq(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// bufferedWriter holds a JSON answer until it is complete; it decides
// at the answer's first byte or status whether to hold it.
type bufferedWriter struct {
	http.ResponseWriter
	status      int
	decided     bool
	passthrough bool
	buf         bytes.Buffer
}

func (w *bufferedWriter) decide(code int) {
	if w.decided {
		return
	}
	w.decided, w.status = true, code
	h := w.Header()
	w.passthrough = code != http.StatusOK || h.Get("ETag") != "" || strings.Contains(h.Get("Cache-Control"), "no-store") ||
		!strings.HasPrefix(h.Get("Content-Type"), "application/json")
	if w.passthrough {
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *bufferedWriter) WriteHeader(code int) { w.decide(code) }

func (w *bufferedWriter) Write(b []byte) (int, error) {
	w.decide(http.StatusOK)
	if w.passthrough {
		return w.ResponseWriter.Write(b)
	}
	return w.buf.Write(b)
}

// Flush sends what is held and streams the rest: a flushing handler
// streams, and gets no ETag from here.
func (w *bufferedWriter) Flush() {
	w.decide(http.StatusOK)
	if !w.passthrough {
		w.passthrough = true
		w.ResponseWriter.WriteHeader(w.status)
		_, _ = w.ResponseWriter.Write(w.buf.Bytes())
		w.buf.Reset()
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the connection.
func (w *bufferedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
