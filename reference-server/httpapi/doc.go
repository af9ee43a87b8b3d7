// Package httpapi is the HTTP layer of civickit's reference server, as a
// library: a portal can mount the whole handler (New) or serve it under
// its own router, next to its own routes, with its own login in front.
//
// Every route is listed in routes.go (Go 1.22 ServeMux patterns, no
// third-party router), with one handler file per domain. Answers are JSON;
// every error — a refused input, an unknown route, a method the route does
// not allow, a failure — is an RFC 9457 problem document
// (application/problem+json) whose status comes from the error's kind in
// one table (errors.go), with field-level details for invalid input and
// never an internal message.
package httpapi
