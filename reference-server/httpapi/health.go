package httpapi

import "net/http"

func (a *api) healthz(w http.ResponseWriter, r *http.Request) {
	if a.health != nil {
		if err := a.health(r.Context()); err != nil {
			a.log.Error("health check failed", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz says whether this replica should get traffic: not while it
// shuts down (a load balancer drains it), nor while its database is away.
func (a *api) readyz(w http.ResponseWriter, r *http.Request) {
	if a.ready != nil {
		if err := a.ready(r.Context()); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
	}
	a.healthz(w, r)
}

func (a *api) index(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(indexHTML))
}

const indexHTML = `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>civickit — portail de référence</title></head>
<body>
<main>
<h1>civickit — portail de référence</h1>
<p>Registre des associations locales, en lecture (JSON) :</p>
<ul>
<li><a href="/api/v1/associations">/api/v1/associations</a> — liste et recherche (<code>q</code>, <code>category</code>, <code>status</code>, <code>commune</code>, <code>postal_code</code>, <code>department</code>, <code>limit</code>, <code>after</code>)</li>
<li><code>/api/v1/associations/near?lat=…&amp;lon=…&amp;radius_m=…</code> — près de chez moi, du plus proche au plus loin</li>
<li><code>/api/v1/associations/{id}</code> et <code>/api/v1/associations/rna/{rna}</code> — une association</li>
<li><a href="/healthz">/healthz</a> — état du service</li>
</ul>
</main>
</body>
</html>
`
