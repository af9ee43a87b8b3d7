package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/civickit/civickit"
)

// Limits bound what one request and one caller may ask. Zero values take
// the defaults; a zero Rate means no limit.
type Limits struct {
	// MaxBody is the largest request body read, in bytes (default 1 MiB):
	// larger ones are refused with 413.
	MaxBody int64
	// PerIP limits the requests of one client address, PerIdentity those
	// of one signed-in caller (whatever their address).
	PerIP, PerIdentity Rate
	// ClientIP names the client of a request for PerIP (default: the
	// connection's address; behind a reverse proxy, see ForwardedFor).
	ClientIP func(r *http.Request) string
	// IdempotencyStale is how long a POST's key stays claimed by a
	// request that never finished (its server died) before a retry may
	// run it again (default 1 minute); IdempotencyWait is how long a
	// duplicate waits for the first request's answer before a 409
	// (default 10 s).
	IdempotencyStale, IdempotencyWait time.Duration
}

// Rate is a token bucket: PerSecond requests on average, Burst at once.
type Rate struct {
	PerSecond float64
	Burst     int
}

const defaultMaxBody = 1 << 20

// ForwardedFor returns a ClientIP for a server behind trusted reverse
// proxies: the address hops entries from the right of X-Forwarded-For
// (1 for a single proxy), else the connection's address.
func ForwardedFor(hops int) func(r *http.Request) string {
	return func(r *http.Request) string {
		var parts []string
		for _, v := range r.Header.Values("X-Forwarded-For") {
			for p := range strings.SplitSeq(v, ",") {
				parts = append(parts, strings.TrimSpace(p))
			}
		}
		if hops > 0 && len(parts) >= hops {
			if ip := net.ParseIP(parts[len(parts)-hops]); ip != nil {
				return ip.String()
			}
		}
		return remoteIP(r)
	}
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Errors of the request discipline (rows in errors.go's table).
var (
	errMediaType   = civickit.Sentinel(civickit.ErrInvalid, "httpapi: the body must be JSON (Content-Type: application/json)")
	errBodyTooBig  = civickit.Sentinel(civickit.ErrTooLarge, "httpapi: request body too large")
	errRateLimited = civickit.Sentinel(civickit.ErrUnavailable, "httpapi: too many requests")
	errKeyReused   = civickit.Sentinel(civickit.ErrConflict, "httpapi: idempotency key reused with another body")
	errKeyBusy     = civickit.Sentinel(civickit.ErrConflict, "httpapi: a request with this idempotency key is in progress")
	errCSRF        = civickit.Sentinel(civickit.ErrForbidden, "httpapi: missing or wrong CSRF token")
)

// decodeBody reads r's JSON body into v: one JSON value of at most the
// body limit (413), sent as application/json or a +json type (415),
// valid UTF-8, with no field v does not have and nothing after it (400,
// naming the field or "body"). The caller answers the error with
// writeError.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return fmt.Errorf("%w: %w", errMediaType, civickit.Invalid("Content-Type", "media_type", "application/json"))
	}
	limit := int64(defaultMaxBody)
	if l, ok := r.Context().Value(maxBodyKey{}).(int64); ok && l > 0 {
		limit = l
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return fmt.Errorf("%w: %w", errBodyTooBig, civickit.Invalid("body", "max_bytes", strconv.FormatInt(limit, 10)))
	case err != nil:
		return fmt.Errorf("read body: %w", civickit.Invalid("body", "readable", ""))
	case len(bytes.TrimSpace(body)) == 0:
		return civickit.Invalid("body", "required", "")
	case !utf8.Valid(body):
		return civickit.Invalid("body", "utf8", "")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return civickit.Invalid("body", "single_json_value", "")
	}
	return nil
}

// jsonError names the field a decoding error is about, never echoing the
// input.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case civickit.FieldErrors(err) != nil:
		return err // a field's own UnmarshalText/JSON named its rule
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return civickit.Invalid("body", "json", "")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return civickit.Invalid(field, "type", typ.Type.String())
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if f, err := strconv.Unquote(name); err == nil && len(f) <= 100 && utf8.ValidString(f) {
			return civickit.Invalid(f, "unknown_field", "")
		}
		return civickit.Invalid("body", "unknown_field", "")
	}
	return civickit.Invalid("body", "json", "")
}

type maxBodyKey struct{}

// limiter is a set of token buckets, one per key, bounded in number: when
// full, the buckets that have refilled are forgotten (they hold no debt).
type limiter struct {
	rate    float64
	burst   float64
	now     func() time.Time
	max     int
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(r Rate, now func() time.Time) *limiter {
	if r.PerSecond <= 0 {
		return nil
	}
	burst := float64(max(r.Burst, 1))
	return &limiter{rate: r.PerSecond, burst: burst, now: now, max: 100_000, buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket, or says how long until one is
// there.
func (l *limiter) allow(key string) (bool, time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.max {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = min(l.burst, b.tokens+d.Seconds()*l.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
}

func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= l.max { // everyone is in debt: start afresh rather than grow
		clear(l.buckets)
	}
}

// writeRateLimited answers 429 with Retry-After in whole seconds.
func writeRateLimited(w http.ResponseWriter, r *http.Request, a *api, wait time.Duration) {
	secs := int64((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
	writeError(w, r, a.log, errRateLimited)
}

// Security sets the headers that tell browsers how to treat answers.
type Security struct {
	// FrameAncestors lists the origins (portals) allowed to show the
	// server's pages in a frame, for embedding; empty: none.
	FrameAncestors []string
	// HSTS sends Strict-Transport-Security (behind TLS only).
	HSTS bool
}

// CORS says which other origins' scripts may call the API.
type CORS struct {
	// Origins allowed ("https://portal.example.org"); "*" allows any,
	// without credentials.
	Origins []string
	// Credentials lets allowed origins send cookies (never with "*").
	Credentials bool
}

func (c CORS) allows(origin string) (ok, any bool) {
	for _, o := range c.Origins {
		if o == "*" {
			return true, true
		}
		if strings.EqualFold(o, origin) {
			return true, false
		}
	}
	return false, false
}

// discipline is the outer middleware of every request: body limit,
// security headers, CORS and the per-address rate limit.
func (a *api) discipline(next http.Handler) http.Handler {
	frame := "'none'"
	if len(a.security.FrameAncestors) > 0 {
		frame = strings.Join(a.security.FrameAncestors, " ")
	}
	csp := "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + frame
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if len(a.security.FrameAncestors) == 0 {
			h.Set("X-Frame-Options", "DENY")
		}
		if a.security.HSTS {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		if origin := r.Header.Get("Origin"); origin != "" {
			if ok, anyOrigin := a.cors.allows(origin); ok {
				h.Add("Vary", "Origin")
				if anyOrigin {
					h.Set("Access-Control-Allow-Origin", "*")
				} else {
					h.Set("Access-Control-Allow-Origin", origin)
					if a.cors.Credentials {
						h.Set("Access-Control-Allow-Credentials", "true")
					}
				}
				h.Set("Access-Control-Expose-Headers", "ETag, Link, Location, Retry-After, Idempotent-Replayed")
				if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
					h.Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE")
					h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, X-CSRF-Token")
					h.Set("Access-Control-Max-Age", "600")
					w.WriteHeader(http.StatusNoContent)
					return
				}
			}
		}
		if ok, wait := a.perIP.allow("ip " + a.clientIP(r)); !ok {
			writeRateLimited(w, r, a, wait)
			return
		}
		// A declared length over the limit is refused before any handler,
		// even one that reads no body (PUT .../support).
		if r.ContentLength > a.maxBody {
			writeError(w, r, a.log, fmt.Errorf("%w: %w", errBodyTooBig, civickit.Invalid("body", "max_bytes", strconv.FormatInt(a.maxBody, 10))))
			return
		}
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, a.maxBody)
		}
		next.ServeHTTP(w, r)
	})
}
