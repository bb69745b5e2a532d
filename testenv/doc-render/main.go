// doc-render evaluates the templates and expressions of docs/integrations the way their senders do, so the tests
// can send the resulting HTTP request to the real receiver. It reads one JSON request on stdin and writes one JSON
// answer on stdout; an evaluation error exits 1 with the message on stderr.
//
//	{"mode": "argocd-template", "templates": {"path": "...", "body": "..."}, "vars": {"app": {...}}}
//	    → {"path": "...", "body": "..."}: Go text/template with sprig's text functions minus env/expandenv,
//	      which is what the Argo CD notifications engine gives webhook templates.
//	{"mode": "expr", "when": "...", "vars": {"app": {...}}}
//	    → {"result": <value>}: one expr-lang expression over vars, as the Argo CD notifications engine runs a
//	      trigger's `when` and `oncePer` and Kargo's http step its `successExpression`/`failureExpression`.
//	{"mode": "kargo", "config": {...}, "vars": {...}, "commits": [...], "secrets": {...}}
//	    → the config with every ${{ }} / ${% %} expression evaluated by expr-lang and each string value coerced
//	      to a JSON number, boolean, object or array when it parses as one (quoted results stay strings), as
//	      Kargo's documentation describes; commitFrom(repoURL) and secret(name) answer from the request, and
//	      "env" adds further variables (ctx, outputs).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"github.com/expr-lang/expr"
)

type request struct {
	Mode      string                       `json:"mode"`
	Templates map[string]string            `json:"templates"`
	When      string                       `json:"when"`
	Vars      map[string]any               `json:"vars"`
	Config    map[string]any               `json:"config"`
	Commits   []map[string]any             `json:"commits"`
	Secrets   map[string]map[string]string `json:"secrets"`
	Env       map[string]any               `json:"env"`
}

func main() {
	var req request
	dec := json.NewDecoder(os.Stdin)
	if err := dec.Decode(&req); err != nil {
		fail(fmt.Errorf("reading the request: %w", err))
	}
	var out any
	var err error
	switch req.Mode {
	case "argocd-template":
		out, err = renderArgoTemplates(req.Templates, req.Vars)
	case "expr":
		out, err = runTrigger(req.When, req.Vars)
	case "kargo":
		out, err = evaluateKargo(req)
	default:
		err = fmt.Errorf("unknown mode %q", req.Mode)
	}
	if err != nil {
		fail(err)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func renderArgoTemplates(templates map[string]string, vars map[string]any) (map[string]string, error) {
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	out := map[string]string{}
	for name, text := range templates {
		t, err := template.New(name).Funcs(funcs).Parse(text)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, vars); err != nil {
			return nil, err
		}
		out[name] = buf.String()
	}
	return out, nil
}

func runTrigger(when string, vars map[string]any) (map[string]any, error) {
	prog, err := expr.Compile(when)
	if err != nil {
		return nil, err
	}
	val, err := expr.Run(prog, vars)
	if err != nil {
		return nil, err
	}
	return map[string]any{"result": val}, nil
}

func evaluateKargo(req request) (any, error) {
	env := map[string]any{
		"vars": req.Vars,
		"commitFrom": func(args ...any) (any, error) {
			if len(args) < 1 {
				return nil, errors.New("commitFrom needs a repoURL")
			}
			for _, c := range req.Commits {
				if c["RepoURL"] == args[0] {
					return c, nil
				}
			}
			return nil, nil
		},
		"secret": func(args ...any) (any, error) {
			if len(args) != 1 {
				return nil, errors.New("secret needs one name")
			}
			name, _ := args[0].(string)
			if s, ok := req.Secrets[name]; ok {
				return s, nil
			}
			return map[string]string{}, nil
		},
	}
	for k, v := range req.Env {
		env[k] = v
	}
	return walk(req.Config, env)
}

func walk(v any, env map[string]any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, item := range t {
			r, err := walk(item, env)
			if err != nil {
				return nil, err
			}
			t[k] = r
		}
		return t, nil
	case []any:
		for i, item := range t {
			r, err := walk(item, env)
			if err != nil {
				return nil, err
			}
			t[i] = r
		}
		return t, nil
	case string:
		return evaluateString(t, env)
	}
	return v, nil
}

var delimiters = [][2]string{{"${{", "}}"}, {"${%", "%}"}}

// evaluateString substitutes each expression's result (strings as they are, anything else as JSON), then
// coerces the whole value the way the Kargo docs describe. A value without any expression stays a string.
func evaluateString(s string, env map[string]any) (any, error) {
	if !strings.Contains(s, "${{") && !strings.Contains(s, "${%") {
		return s, nil
	}
	var b strings.Builder
	rest := s
	for {
		start, open, close := -1, "", ""
		for _, d := range delimiters {
			if i := strings.Index(rest, d[0]); i >= 0 && (start < 0 || i < start) {
				start, open, close = i, d[0], d[1]
			}
		}
		if start < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:start])
		rest = rest[start+len(open):]
		end := strings.Index(rest, close)
		if end < 0 {
			return nil, fmt.Errorf("unclosed expression in %q", s)
		}
		val, err := runExpression(rest[:end], env)
		if err != nil {
			return nil, err
		}
		b.WriteString(val)
		rest = rest[end+len(close):]
	}
	return coerce(b.String()), nil
}

func runExpression(code string, env map[string]any) (string, error) {
	prog, err := expr.Compile(code, expr.Env(env), expr.Function("quote", func(args ...any) (any, error) {
		if s, ok := args[0].(string); ok {
			return strconv.Quote(s), nil
		}
		j, err := json.Marshal(args[0])
		if err != nil {
			return nil, err
		}
		return `"` + string(j) + `"`, nil
	}))
	if err != nil {
		return "", err
	}
	val, err := expr.Run(prog, env)
	if err != nil {
		return "", err
	}
	if s, ok := val.(string); ok {
		return s, nil
	}
	j, err := json.Marshal(val)
	return string(j), err
}

func coerce(s string) any {
	trimmed, hadNewline := strings.CutSuffix(s, "\n")
	if len(trimmed) > 1 && strings.HasPrefix(trimmed, `"`) && strings.HasSuffix(trimmed, `"`) {
		inner := trimmed[1 : len(trimmed)-1]
		if hadNewline {
			inner += "\n"
		}
		return inner
	}
	if f, err := strconv.ParseFloat(trimmed, 64); err == nil {
		return f
	}
	if b, err := strconv.ParseBool(trimmed); err == nil {
		return b
	}
	var j any
	if err := json.Unmarshal([]byte(trimmed), &j); err == nil {
		return j
	}
	return s
}
