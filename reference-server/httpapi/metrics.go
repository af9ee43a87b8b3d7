package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics counts requests by route pattern (never the raw path: its
// IDs would make one series per resource) and status, and times them.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		return nil
	}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "civickit", Subsystem: "http",
			Name: "requests_total", Help: "HTTP requests answered, by method, route pattern and status."},
			[]string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "civickit", Subsystem: "http",
			Name: "request_duration_seconds", Help: "Time to answer HTTP requests, by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}},
			[]string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "civickit", Subsystem: "http",
			Name: "requests_in_flight", Help: "HTTP requests being answered."}),
	}
	reg.MustRegister(m.requests, m.duration, m.inFlight)
	return m
}

// routeLabel is the route pattern, or "unrouted" for a request no route
// matched (whatever its path).
func routeLabel(r *http.Request) string {
	if r.Pattern == "" {
		return "unrouted"
	}
	return r.Pattern
}

func (m *metrics) observe(r *http.Request, status int, took time.Duration) {
	if m == nil {
		return
	}
	method := r.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = "other" // a client's made-up methods are not series
	}
	route := routeLabel(r)
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(method, route).Observe(took.Seconds())
}
