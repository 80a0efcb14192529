package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"
)

// maxAnswerBytes bounds what the replay reads of one answer.
const maxAnswerBytes = 4 << 20

// portalVisitor is one browser on the portal: its own cookies, redirects
// not followed (their Location is the answer), and the header a browser
// sends on a same-origin form.
type portalVisitor struct {
	base string
	c    *http.Client
}

// newPortalVisitor returns a visitor with a cookie jar of its own, sending
// through c's transport, so that attacks do not share a session.
func newPortalVisitor(c *http.Client, base string) *portalVisitor {
	jar, _ := cookiejar.New(nil)
	return &portalVisitor{base: base, c: &http.Client{
		Transport: c.Transport, Timeout: c.Timeout, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// replayAnswer is a finished request.
type replayAnswer struct {
	status int
	header http.Header
	body   string
}

func (v *portalVisitor) do(ctx context.Context, method, path, contentType string, body []byte) (*replayAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, method, v.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	res, err := v.c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxAnswerBytes))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return &replayAnswer{status: res.StatusCode, header: res.Header, body: string(b)}, nil
}

func (v *portalVisitor) get(ctx context.Context, path string) (*replayAnswer, error) {
	return v.do(ctx, http.MethodGet, path, "", nil)
}

func (v *portalVisitor) post(ctx context.Context, path string, form url.Values) (*replayAnswer, error) {
	return v.do(ctx, http.MethodPost, path, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

// postFile sends a multipart form with one file, as the import pages take.
func (v *portalVisitor) postFile(ctx context.Context, path string, fields url.Values, field, name string, data []byte) (*replayAnswer, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, s := range vs {
			if err := mw.WriteField(k, s); err != nil {
				return nil, err
			}
		}
	}
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(data); err != nil {
		return nil, err
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return v.do(ctx, http.MethodPost, path, mw.FormDataContentType(), buf.Bytes())
}

// replayAccount is an account an attack signs in with, from the
// environment: PREFIX_EMAIL, PREFIX_PASSWORD and, for admins and
// officials, PREFIX_TOTP (the secret the portal printed, not a code).
type replayAccount struct {
	env                     string
	email, password, secret string
}

// accountFromEnv reads the account named by prefix; ok is false when the
// e-mail or password is missing.
func accountFromEnv(prefix string) (replayAccount, bool) {
	a := replayAccount{env: prefix, email: os.Getenv(prefix + "_EMAIL"), password: os.Getenv(prefix + "_PASSWORD"), secret: os.Getenv(prefix + "_TOTP")}
	return a, a.email != "" && a.password != ""
}

// signIn goes through the sign-in form and, when asked, the code form.
func (v *portalVisitor) signIn(ctx context.Context, a replayAccount) error {
	res, err := v.post(ctx, "/en/login", url.Values{"email": {a.email}, "password": {a.password}})
	if err != nil {
		return err
	}
	if res.status != http.StatusSeeOther {
		return fmt.Errorf("signing in as %s (%s_EMAIL) answered %d, want 303", a.email, a.env, res.status)
	}
	if !strings.HasPrefix(res.header.Get("Location"), "/en/login/code") {
		return nil
	}
	if a.secret == "" {
		return fmt.Errorf("%s asks for a second-factor code: set %s_TOTP to its secret", a.email, a.env)
	}
	code, err := totp.GenerateCode(a.secret, time.Now())
	if err != nil {
		return fmt.Errorf("%s_TOTP: %w", a.env, err)
	}
	res, err = v.post(ctx, "/en/login/code", url.Values{"code": {code}})
	if err != nil {
		return err
	}
	if res.status != http.StatusSeeOther {
		return fmt.Errorf("the second-factor code of %s answered %d, want 303 (a code is good once: wait 30 s between runs)", a.email, res.status)
	}
	return nil
}

// errNoMetrics: /metrics does not answer this machine, or lacks the figure.
var errNoMetrics = errors.New("not in /metrics")

// metricSum adds up the samples of the metric name (with any labels) that
// the portal's /metrics shows.
func metricSum(ctx context.Context, c *http.Client, base, name string) (float64, error) {
	res, err := newPortalVisitor(c, base).get(ctx, "/metrics")
	if err != nil {
		return 0, err
	}
	if res.status != http.StatusOK {
		return 0, errNoMetrics
	}
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `(\{[^}]*\})? ([0-9.eE+-]+)$`)
	ms := re.FindAllStringSubmatch(res.body, -1)
	if ms == nil {
		return 0, errNoMetrics
	}
	sum := 0.0
	for _, m := range ms {
		f, err := strconv.ParseFloat(m[2], 64)
		if err != nil {
			return 0, fmt.Errorf("/metrics %s: %w", name, err)
		}
		sum += f
	}
	return sum, nil
}

// inputValue is the value of the input named name in page, unescaped.
func inputValue(page, name string) (string, bool) {
	tag := regexp.MustCompile(`<input[^>]*\bname="` + regexp.QuoteMeta(name) + `"[^>]*>`).FindString(page)
	m := regexp.MustCompile(`\bvalue="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

// optionValues lists the values of the options of the select with id.
func optionValues(page, id string) []string {
	sel := regexp.MustCompile(`(?s)<select[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</select>`).FindStringSubmatch(page)
	if sel == nil {
		return nil
	}
	var out []string
	for _, m := range regexp.MustCompile(`<option[^>]*\bvalue="([^"]*)"`).FindAllStringSubmatch(sel[1], -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// selectedValue is the value of the selected option of the select with id.
func selectedValue(page, id string) string {
	sel := regexp.MustCompile(`(?s)<select[^>]*\bid="` + regexp.QuoteMeta(id) + `"[^>]*>(.*?)</select>`).FindStringSubmatch(page)
	if sel == nil {
		return ""
	}
	m := regexp.MustCompile(`<option[^>]*\bvalue="([^"]*)"[^>]*\bselected`).FindStringSubmatch(sel[1])
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}
