package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"
)

// spec is docs/openapi.json, decoded.
type spec map[string]any

func loadSpec(t *testing.T) spec {
	t.Helper()
	b, err := os.ReadFile("../docs/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var s spec
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("docs/openapi.json: %v", err)
	}
	return s
}

// resolve follows a local $ref ("#/components/...").
func (s spec) resolve(node map[string]any) map[string]any {
	for {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node
		}
		var cur any = map[string]any(s)
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		node = cur.(map[string]any)
	}
}

// validate checks v against schema: type, required properties,
// properties, items, enum and the array bounds — the part of JSON Schema
// the document uses.
func (s spec) validate(schema map[string]any, v any, at string) []string {
	schema = s.resolve(schema)
	if v == nil {
		if schema["nullable"] == true {
			return nil
		}
		return []string{at + ": null"}
	}
	var errs []string
	switch schema["type"] {
	case "object":
		obj, ok := v.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want an object", at, v)}
		}
		for _, r := range asList(schema["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				errs = append(errs, at+": lacks "+r.(string))
			}
		}
		props, _ := schema["properties"].(map[string]any)
		for k, pv := range obj {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, s.validate(ps, pv, at+"."+k)...)
			} else if props != nil {
				errs = append(errs, at+": undocumented property "+k)
			}
		}
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want an array", at, v)}
		}
		if m, ok := schema["minItems"].(float64); ok && len(arr) < int(m) {
			errs = append(errs, at+": too few items")
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, it := range arr {
				errs = append(errs, s.validate(items, it, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want a string", at, v)}
		}
		if enum := asList(schema["enum"]); enum != nil && !contains(enum, str) {
			errs = append(errs, fmt.Sprintf("%s: %q not in %v", at, str, enum))
		}
	case "integer":
		if f, ok := v.(float64); !ok || f != float64(int64(f)) {
			errs = append(errs, fmt.Sprintf("%s: %v, want an integer", at, v))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			errs = append(errs, fmt.Sprintf("%s: %v, want a boolean", at, v))
		}
	}
	return errs
}

func asList(v any) []any { l, _ := v.([]any); return l }

func contains(list []any, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// check validates a response to method path against the document: the
// status must be documented, a JSON body must match its schema and the
// documented headers must be there.
func (s spec) check(t *testing.T, method, path string, r response) {
	t.Helper()
	op, ok := s["paths"].(map[string]any)[path].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if !ok {
		t.Errorf("%s %s is not documented", method, path)
		return
	}
	resp, ok := op["responses"].(map[string]any)[strconv.Itoa(r.status)].(map[string]any)
	if !ok {
		t.Errorf("%s %s: status %d is not documented", method, path, r.status)
		return
	}
	resp = s.resolve(resp)
	headers, _ := resp["headers"].(map[string]any)
	for h := range headers {
		if r.header.Get(h) == "" {
			t.Errorf("%s %s: no %s header", method, path, h)
		}
	}
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		return
	}
	schema := resp["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Errorf("%s %s: %v", method, path, err)
		return
	}
	for _, e := range s.validate(schema, v, "body") {
		t.Errorf("%s %s %d: %s", method, path, r.status, e)
	}
}

func TestResponsesMatchTheOpenAPIDocument(t *testing.T) {
	sp := loadSpec(t)
	s := newServer(t, Config{Store: nightlyStore(t), MaxCheckRecs: 5})
	bare := newServer(t, Config{})
	night2, _ := os.ReadFile("../fixtures/evolving/night2.csv")
	for _, c := range []struct {
		srv          *Server
		method, path string
		query        string
		body         io.Reader
		status       int
	}{
		{s, "GET", "/healthz", "", nil, 200},
		{s, "POST", "/api/v1/check", "?explain=1", checkBody(CheckRecord{ID: "1", Name: "宁波某某理财咨询有限公司", Scope: "不含金融业务"}), 200},
		{s, "POST", "/api/v1/check", "", strings.NewReader(`{"records":[]}`), 422},
		{s, "POST", "/api/v1/check", "", strings.NewReader(`{`), 400},
		{s, "GET", "/api/v1/dictionary", "", nil, 200},
		{s, "POST", "/api/v1/scan", "?format=csv", bytes.NewReader(night2), 200},
		{s, "POST", "/api/v1/scan", "?format=pdf", strings.NewReader(export), 400},
		{s, "GET", "/api/v1/runs", "", nil, 200},
		{bare, "GET", "/api/v1/runs", "", nil, 404},
		{s, "GET", "/api/v1/changes", "", nil, 200},
		{s, "GET", "/api/v1/changes", "?from=2&to=1", nil, 400},
		{s, "GET", "/api/v1/history", "?q=91330205AY4CL12THT", nil, 200},
		{s, "GET", "/api/v1/history", "?q=无此企业", nil, 404},
		{s, "POST", "/api/v1/decisions", "", strings.NewReader("not a workbook"), 422},
		{s, "GET", "/metrics", "", nil, 200},
	} {
		r := do(t, c.srv, c.method, c.path+c.query, c.body)
		if r.status != c.status {
			t.Errorf("%s %s%s: %d, want %d: %s", c.method, c.path, c.query, r.status, c.status, r.body)
		}
		sp.check(t, c.method, c.path, r)
	}
}

// TestTheValidatorRefuses: the validator is no rubber stamp.
func TestTheValidatorRefuses(t *testing.T) {
	sp := loadSpec(t)
	schema := map[string]any{"$ref": "#/components/schemas/CheckResponse"}
	for _, bad := range []string{
		`{"results":[]}`,
		`{"dictionary":1,"results":[]}`,
		`{"dictionary":"v","results":[{"file":"a","line":1.5,"id":"","name":"","verdict":"refer","hits":[],"dict":"v"}]}`,
		`{"dictionary":"v","results":[{"file":"a","line":1,"id":"","name":"","verdict":"maybe","hits":[],"dict":"v"}]}`,
		`{"dictionary":"v","results":[{"file":"a","line":1,"id":"","name":"","verdict":"refer","hits":[{}],"dict":"v"}]}`,
		`{"dictionary":"v","results":[],"extra":true}`,
	} {
		var v any
		json.Unmarshal([]byte(bad), &v)
		if len(sp.validate(schema, v, "body")) == 0 {
			t.Errorf("accepted %s", bad)
		}
	}
}
