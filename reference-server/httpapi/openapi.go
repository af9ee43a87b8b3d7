package httpapi

import (
	"encoding"
	"encoding/json"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// OpenAPI returns the OpenAPI 3.1 document of routes: one operation per
// route, its path parameters from the pattern, its body and answer
// schemas reflected from Route.Body and Route.Answer through their json
// tags, problem documents for errors, the security schemes, and the
// least role (x-civickit-role) and scope (x-civickit-scope) it needs.
// The document is built from the route table, so it cannot forget a
// route.
func OpenAPI(routes []Route) map[string]any {
	g := &schemaGen{defs: map[string]any{}, names: map[reflect.Type]string{}}
	problem := g.schema(reflect.TypeFor[Problem]())
	paths := map[string]any{}
	for _, rt := range routes {
		path, params := openAPIPath(rt.Pattern)
		item, _ := paths[path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[path] = item
		}
		op := map[string]any{
			"operationId":      operationID(rt.Method, path),
			"summary":          rt.Summary,
			"x-civickit-role":  rt.Access.String(),
			"responses":        g.responses(rt),
			"tags":             []string{tagOf(path)},
			"x-civickit-scope": rt.Scope,
		}
		if rt.Scope == "" {
			delete(op, "x-civickit-scope")
		}
		if rt.Summary == "" {
			op["summary"] = rt.Method + " " + path
		}
		var ps []any
		for _, p := range params {
			s := map[string]any{"type": "string"}
			if p == rt.Scope || isUUIDParam(p) {
				s["format"] = "uuid"
			}
			ps = append(ps, map[string]any{"name": p, "in": "path", "required": true, "schema": s})
		}
		if rt.Method == http.MethodPost {
			ps = append(ps, map[string]any{"$ref": "#/components/parameters/IdempotencyKey"})
		}
		if rt.Answer != nil && strings.HasPrefix(reflect.TypeOf(rt.Answer).Name(), "Page[") {
			ps = append(ps, map[string]any{"$ref": "#/components/parameters/After"}, map[string]any{"$ref": "#/components/parameters/Limit"})
		}
		if len(ps) > 0 {
			op["parameters"] = ps
		}
		if rt.Body != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Body))}}}
		}
		if rt.Access > RoleAnonymous {
			op["security"] = []any{
				map[string]any{"bearerToken": []string{}},
				map[string]any{"sessionCookie": []string{}},
				map[string]any{"embedToken": []string{}},
			}
		} else {
			op["security"] = []any{map[string]any{}}
		}
		if rt.Method == http.MethodHead {
			continue // GET documents it
		}
		item[strings.ToLower(rt.Method)] = op
	}
	g.defs["Problem"] = problem // referenced by name in responses
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "civickit reference server",
			"version":     "1",
			"description": "The civickit SDK over HTTP: consultations, elections, associations and open data. Errors are RFC 9457 problem documents.",
			"license":     map[string]any{"name": "MPL-2.0", "identifier": "MPL-2.0"},
		},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas": g.defs,
			"parameters": map[string]any{
				"After": map[string]any{"name": "after", "in": "query", "required": false,
					"description": "the next cursor of the previous page; absent for the first page",
					"schema":      map[string]any{"type": "string"}},
				"Limit": map[string]any{"name": "limit", "in": "query", "required": false,
					"description": "the most items per page (the list's default when absent)",
					"schema":      map[string]any{"type": "integer", "minimum": 0}},
				"IdempotencyKey": map[string]any{
					"name": "Idempotency-Key", "in": "header", "required": false,
					"description": "Retries with the same key and body get the first answer; another body gets 422.",
					"schema":      map[string]any{"type": "string", "maxLength": 100, "pattern": "^[!-~]+$"},
				}},
			"responses": map[string]any{"Problem": map[string]any{
				"description": "an RFC 9457 problem document",
				"content":     map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}},
			}},
			"securitySchemes": map[string]any{
				"bearerToken":   map[string]any{"type": "http", "scheme": "bearer", "description": "an API token (ck_…) created by an administrator"},
				"sessionCookie": map[string]any{"type": "apiKey", "in": "cookie", "name": SessionCookie, "description": "the session of an OpenID Connect login; writes also need X-CSRF-Token"},
				"embedToken":    map[string]any{"type": "apiKey", "in": "header", "name": "Authorization", "description": "Embed <token>: a portal's signed embed token"},
			},
		},
	}
}

func (g *schemaGen) responses(rt Route) map[string]any {
	ok := map[string]any{"description": "success"}
	if rt.Answer != nil {
		ok["content"] = map[string]any{"application/json": map[string]any{"schema": g.schema(reflect.TypeOf(rt.Answer))}}
	}
	problem := map[string]any{"$ref": "#/components/responses/Problem"}
	rs := map[string]any{"2XX": ok, "4XX": problem, "5XX": problem}
	if rt.Access > RoleAnonymous {
		rs["401"], rs["403"] = problem, problem
	}
	return rs
}

var wildcard = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)

// openAPIPath turns a ServeMux pattern into an OpenAPI path and its
// parameters: "/a/{id}" stays, "/{$}" is "/", "{rest...}" is "{rest}".
func openAPIPath(pattern string) (string, []string) {
	p := strings.ReplaceAll(pattern, "{$}", "")
	if p == "" {
		p = "/"
	}
	var params []string
	p = wildcard.ReplaceAllStringFunc(p, func(m string) string {
		name := wildcard.FindStringSubmatch(m)[1]
		params = append(params, name)
		return "{" + name + "}"
	})
	return p, params
}

func isUUIDParam(name string) bool {
	return slices.Contains([]string{"participant", "election", "consultation"}, name)
}

var nonWord = regexp.MustCompile(`[^A-Za-z0-9]+`)

func operationID(method, path string) string {
	return strings.ToLower(method) + strings.TrimRight(nonWord.ReplaceAllString(path, "_"), "_")
}

// tagOf groups operations by the first path segment after /api/vN.
func tagOf(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) >= 3 && segs[0] == "api" {
		return segs[2]
	}
	if segs[0] == "" {
		return "portal"
	}
	return segs[0]
}

// schemaGen reflects Go types into JSON Schemas (2020-12, as OpenAPI 3.1
// uses), named structs into components.
type schemaGen struct {
	defs  map[string]any
	names map[reflect.Type]string
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	uuidType      = reflect.TypeFor[uuid.UUID]()
	roleType      = reflect.TypeFor[Role]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

var pkgPath = regexp.MustCompile(`[A-Za-z0-9_.\-]+/`)

func (g *schemaGen) name(t reflect.Type) string {
	n := pkgPath.ReplaceAllString(t.String(), "") // civickit.Page[httpapi.APIToken]
	n = strings.Trim(nonWord.ReplaceAllString(n, "_"), "_")
	for { // two types of one name in different packages
		if _, taken := g.defs[n]; !taken {
			return n
		}
		n += "_"
	}
}

func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || reflect.PointerTo(t).Implements(iface)
}

func (g *schemaGen) schema(t reflect.Type) map[string]any {
	switch t {
	case timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case uuidType:
		return map[string]any{"type": "string", "format": "uuid"}
	case roleType:
		return map[string]any{"type": "string", "enum": roleNames[:]}
	case rawType:
		return map[string]any{}
	}
	if t.Kind() == reflect.Pointer {
		return map[string]any{"anyOf": []any{g.schema(t.Elem()), map[string]any{"type": "null"}}}
	}
	if implements(t, marshalerType) {
		return map[string]any{} // its own JSON: documented by its package
	}
	if implements(t, textType) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return map[string]any{"type": []string{"string", "null"}, "contentEncoding": "base64"}
		}
		return map[string]any{"type": []string{"array", "null"}, "items": g.schema(t.Elem())}
	case reflect.Array:
		return map[string]any{"type": "array", "items": g.schema(t.Elem()), "maxItems": t.Len()}
	case reflect.Map:
		return map[string]any{"type": []string{"object", "null"}, "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		if n, ok := g.names[t]; ok {
			return map[string]any{"$ref": "#/components/schemas/" + n}
		}
		n := g.name(t)
		g.names[t] = n
		g.defs[n] = map[string]any{} // placeholder: a type may refer to itself
		props, required := map[string]any{}, []string{}
		g.fields(t, props, &required)
		s := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			slices.Sort(required)
			s["required"] = required
		}
		g.defs[n] = s
		return map[string]any{"$ref": "#/components/schemas/" + n}
	}
	return map[string]any{} // interfaces, funcs: anything
}

// fields adds t's JSON fields, as encoding/json sees them (embedded
// structs flattened, "-" skipped, omitempty/omitzero optional).
func (g *schemaGen) fields(t reflect.Type, props map[string]any, required *[]string) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && !implements(ft, marshalerType) {
				g.fields(ft, props, required)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s := g.schema(ft)
		if strings.Contains(opts, "string") {
			s = map[string]any{"type": "string"}
		}
		props[name] = s
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

func (a *api) openAPIRoute() Route {
	return Route{Method: http.MethodGet, Pattern: "/api/openapi.json", Summary: "this API's OpenAPI 3.1 document", handler: a.openAPI}
}

// openAPI serves the document, built once: the route table does not
// change while the server runs.
func (a *api) openAPI(w http.ResponseWriter, _ *http.Request) {
	a.openAPIOnce.Do(func() { a.openAPIDoc = OpenAPI(a.routes()) })
	writeJSON(w, http.StatusOK, a.openAPIDoc)
}
