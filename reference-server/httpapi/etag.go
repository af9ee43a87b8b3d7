package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
)

// conditional gives public reads an ETag (a digest of the answer) and
// answers If-None-Match with 304, so that clients and caches revalidate
// for the price of a header. Handlers that set their own ETag (the
// open-data documents) are left alone, as are answers marked no-store.
func conditional(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		bw := &bufferedWriter{ResponseWriter: w}
		next(bw, r)
		h := w.Header()
		status := bw.status
		if status == 0 {
			status = http.StatusOK
		}
		if status == http.StatusOK && h.Get("ETag") == "" && !strings.Contains(h.Get("Cache-Control"), "no-store") {
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

// bufferedWriter holds an answer until it is complete.
type bufferedWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *bufferedWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *bufferedWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.buf.Write(b)
}
